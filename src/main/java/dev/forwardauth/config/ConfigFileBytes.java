package dev.forwardauth.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the config file's bytes, refusing before it opens anything that is not a plain file of reasonable
 * size: {@code /dev/zero} would fill the heap, and opening a FIFO blocks until someone writes to it, forever
 * for a check or a reload thread. Start-up, {@code --check-config} and live reload all read through here, so
 * they refuse the same files in the same words.
 */
public final class ConfigFileBytes {
    /** The largest config file read: a config with hundreds of apps is tens of kilobytes. */
    public static final int MAX_SIZE = 1024 * 1024;
    static final String MAX_SIZE_TEXT = "1 MiB";

    private ConfigFileBytes() {
    }

    /** A file that exists but is not one forwardauth reads; the message says why, for "cannot read the file (...)". */
    public static final class UnsuitableFileException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsuitableFileException(String reason) {
            super(reason);
        }
    }

    /**
     * The file's content, following symbolic links (a Kubernetes ConfigMap is a link to a link).
     *
     * @throws UnsuitableFileException a directory, a device, a FIFO or socket, or a file over {@link #MAX_SIZE}
     * @throws IOException as {@link Files#newInputStream} throws it (no such file, permission denied, ...)
     */
    public static byte[] read(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new UnsuitableFileException("it is a directory");
        }
        if (!attributes.isRegularFile()) {
            throw new UnsuitableFileException("it is not a regular file");
        }
        if (attributes.size() > MAX_SIZE) {
            throw tooLarge();
        }
        try (InputStream in = Files.newInputStream(file)) {
            // The size can change between the look and the read; never read more than the limit either way.
            byte[] bytes = in.readNBytes(MAX_SIZE + 1);
            if (bytes.length > MAX_SIZE) {
                throw tooLarge();
            }
            return bytes;
        }
    }

    private static UnsuitableFileException tooLarge() {
        return new UnsuitableFileException("it is larger than " + MAX_SIZE_TEXT);
    }
}
