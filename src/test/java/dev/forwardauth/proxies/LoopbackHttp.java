package dev.forwardauth.proxies;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, one request per connection, for tests that must write headers the JDK
 * client refuses to (Host) or that a browser would send (a spoofed X-Forwarded-User). Every connection goes
 * to the loopback interface: {@code *.localtest} and {@code localhost} are resolved to 127.0.0.1 here, any
 * other host is refused, so no test can send traffic elsewhere and none needs DNS.
 */
final class LoopbackHttp {
    private static final int TIMEOUT_MILLIS = 30_000;

    private LoopbackHttp() {
    }

    /** A response as the client saw it: status, header lines in order (names as sent), body as text. */
    record Response(int status, List<String[]> headers, String body) {
        Optional<String> header(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
        }

        List<String> headers(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        }

        String location() {
            return header("Location").orElseThrow(() -> new AssertionError(
                    "no Location header; status " + status + ", body: " + body));
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder().append(status);
            headers.forEach(h -> text.append('\n').append(h[0]).append(": ").append(h[1]));
            return text.append("\n\n").append(body).toString();
        }
    }

    /**
     * Sends {@code method url} and the given header lines (name, value pairs), no body. The Host header is
     * the URL's host and port as written, unless the lines name one: then the connection still goes to the
     * URL's (loopback) address, as a proxy's does to its upstream.
     */
    static Response send(String method, URI url, List<String[]> headers) throws IOException {
        if (!"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("plain http only: " + url);
        }
        int port = url.getPort() == -1 ? 80 : url.getPort();
        StringBuilder request = new StringBuilder();
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (headers.stream().noneMatch(header -> header[0].equalsIgnoreCase("Host"))) {
            request.append("Host: ").append(url.getRawAuthority()).append("\r\n");
        }
        for (String[] header : headers) {
            request.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loopback(url.getHost()), port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket.getInputStream(), "HEAD".equals(method));
        }
    }

    private static InetAddress loopback(String host) throws IOException {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost") || name.endsWith(".localtest") || name.equals("127.0.0.1")) {
            return InetAddress.getByAddress(name, new byte[] {127, 0, 0, 1});
        }
        throw new IllegalArgumentException("tests talk to loopback only, not to " + host);
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        Response head0 = new Response(status, headers, "");
        byte[] body;
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if (head0.header("Transfer-Encoding").map(v -> v.equalsIgnoreCase("chunked")).orElse(false)) {
            body = chunked(in);
        } else if (head0.header("Content-Length").isPresent()) {
            body = in.readNBytes(Integer.parseInt(head0.header("Content-Length").get()));
        } else {
            body = in.readAllBytes(); // Connection: close ends the body
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in).split(";", 2)[0].trim();
            int length = Integer.parseInt(size, 16);
            if (length == 0) {
                while (!line(in).isEmpty()) {
                    // trailers: none expected, skipped
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line(in); // the CRLF after each chunk
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed inside a header line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
