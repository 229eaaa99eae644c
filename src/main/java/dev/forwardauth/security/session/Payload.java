package dev.forwardauth.security.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The plaintext inside a sealed cookie: one format byte (raw or deflated), then issued-at and expiry (epoch
 * milliseconds) and the fields of the cookie kind, each written in a fixed order. No Java serialization and
 * no JSON: nothing here can instantiate a class named by its input.
 */
final class Payload {

    private static final byte RAW = 0;
    private static final byte DEFLATED = 1;
    // Far above any session we write (the sealed value is capped at 8 KB); only a guard against inflating
    // without bound should a bug ever let a foreign value through.
    static final int MAX_BODY_LENGTH = 32 * 1024;

    private Payload() {
    }

    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(2048);
        private final DataOutputStream out = new DataOutputStream(bytes);

        Writer(Instant issuedAt, Instant expiresAt) {
            longValue(issuedAt.toEpochMilli());
            longValue(expiresAt.toEpochMilli());
        }

        Writer string(String value) {
            try {
                if (value == null) {
                    out.writeInt(-1);
                } else {
                    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Writer longValue(long value) {
            try {
                out.writeLong(value);
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Writer intValue(int value) {
            try {
                out.writeInt(value);
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        // Deflate only when it pays: tokens are base64 text with much repetition between them (issuer,
        // audience, subject), short pending-login values are not.
        byte[] toBytes() {
            byte[] body = bytes.toByteArray();
            byte[] deflated = deflate(body);
            byte[] chosen = deflated.length < body.length ? deflated : body;
            byte[] result = new byte[chosen.length + 1];
            result[0] = chosen == deflated ? DEFLATED : RAW;
            System.arraycopy(chosen, 0, result, 1, chosen.length);
            return result;
        }
    }

    static final class Reader {
        private final DataInputStream in;
        private final Instant issuedAt;
        private final Instant expiresAt;

        private Reader(byte[] body) throws IOException {
            this.in = new DataInputStream(new ByteArrayInputStream(body));
            this.issuedAt = Instant.ofEpochMilli(in.readLong());
            this.expiresAt = Instant.ofEpochMilli(in.readLong());
        }

        static Optional<Reader> of(byte[] plaintext) {
            if (plaintext.length < 1) {
                return Optional.empty();
            }
            byte[] rest = Arrays.copyOfRange(plaintext, 1, plaintext.length);
            try {
                return switch (plaintext[0]) {
                    case RAW -> Optional.of(new Reader(rest));
                    case DEFLATED -> Optional.of(new Reader(inflate(rest)));
                    default -> Optional.empty();
                };
            } catch (IOException | DataFormatException e) {
                return Optional.empty();
            }
        }

        Instant issuedAt() {
            return issuedAt;
        }

        Instant expiresAt() {
            return expiresAt;
        }

        String string() throws IOException {
            int length = in.readInt();
            if (length == -1) {
                return null;
            }
            if (length < 0 || length > in.available()) {
                throw new IOException("bad string length");
            }
            return new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        long longValue() throws IOException {
            return in.readLong();
        }

        int intValue() throws IOException {
            return in.readInt();
        }

        boolean fullyRead() throws IOException {
            return in.available() == 0;
        }
    }

    private static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length);
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] input) throws DataFormatException, IOException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 3);
            byte[] buffer = new byte[4096];
            while (!inflater.finished()) {
                int count = inflater.inflate(buffer);
                if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("truncated deflate stream");
                }
                out.write(buffer, 0, count);
                if (out.size() > MAX_BODY_LENGTH) {
                    throw new IOException("payload too large");
                }
            }
            if (inflater.getRemaining() != 0) {
                throw new IOException("bytes after the deflate stream");
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
