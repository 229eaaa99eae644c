package dev.forwardauth.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.net.ssl.SSLSession;

/**
 * Bytes over a socket, for requests an HTTP client refuses to send (CR, LF or NUL inside a header, bytes
 * that are not UTF-8, a request line of garbage). The answer is read to the end of the connection and
 * offered as an {@link HttpResponse}, so the same assertions apply to it.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** ISO-8859-1 text: each char one byte, so {@code \u00ff} is the byte 0xFF. */
    static HttpResponse<String> send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static HttpResponse<String> send(int port, byte[] request) throws IOException {
        return parse(exchange(port, request));
    }

    /** For a request cut short: true when the server closes without an answer or answers 4xx. */
    static boolean sendExpectingSilenceOr4xx(int port, String request) throws IOException {
        byte[] raw = exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
        if (raw.length == 0) {
            return true;
        }
        int status = parse(raw).statusCode();
        return status >= 400 && status < 500;
    }

    private static byte[] exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (SocketException closedEarly) {
                // The server may answer and close before it has read everything (a 431 for a huge header).
            }
            return readAll(socket.getInputStream());
        }
    }

    /** A GET with these header lines (each "Name: value", sent as written) and Connection: close. */
    static String get(String target, String... headerLines) {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return request.append("Connection: close\r\n\r\n").toString();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // a server that resets after answering: keep what came
        }
        return bytes.toByteArray();
    }

    private static HttpResponse<String> parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP answer: [" + text + "]");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
            body = unchunk(body);
        }
        return new Answer(status, HttpHeaders.of(headers, (name, value) -> true),
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private record Answer(int statusCode, HttpHeaders headers, String body) implements HttpResponse<String> {
        @Override
        public HttpRequest request() {
            return null;
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return null;
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
