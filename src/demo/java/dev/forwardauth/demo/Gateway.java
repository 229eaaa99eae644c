package dev.forwardauth.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The demo's Traefik: a router for forwardauth's own paths, and a ForwardAuth middleware in front of the
 * upstream (the sample page it wraps). Configured as a Traefik user would be:
 * <pre>
 * forwardAuth:
 *   address: http://forwardauth/authorize
 *   authRequestHeaders: [Cookie, Accept, Authorization, X-Requested-With]
 *   authResponseHeaders: [Authorization, X-Forwarded-User]
 *   authResponseHeadersRegex: ^X-Forwardauth-
 *   addAuthCookiesToResponse: (every cookie of the answer)
 * </pre>
 * Like Traefik it deletes those identity headers from the client's request before adding forwardauth's,
 * so a browser cannot pass itself off as someone by sending {@code X-Forwarded-User} itself.
 */
final class Gateway extends Handler.Wrapper {
    /** A Traefik router sends these straight to forwardauth, without the middleware. */
    static final String AUTH_PATHS = "/oauth2/";
    static final List<String> AUTH_REQUEST_HEADERS = List.of("Cookie", "Accept", "Authorization", "X-Requested-With");
    private static final Set<String> IDENTITY_HEADERS = Set.of("authorization", "x-forwarded-user");
    private static final String IDENTITY_HEADER_PREFIX = "x-forwardauth-";
    /** Hop-by-hop headers (RFC 9110 7.6.1) and the ones the HTTP clients and servers set themselves. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "date");
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
    private final String forwardauth;
    private final String host;

    /**
     * @param forwardauth forwardauth's origin, {@code http://127.0.0.1:PORT}
     * @param host the one host the gateway serves ({@code localhost:PORT}): the demo app's name and cookies
     *     are for it, so requests for other names (127.0.0.1) are sent there first
     */
    Gateway(String forwardauth, String host, Handler upstream) {
        super(upstream);
        this.forwardauth = forwardauth;
        this.host = host;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!host.equalsIgnoreCase(hostOf(request))) {
            Response.sendRedirect(request, response, callback, HttpStatus.TEMPORARY_REDIRECT_307,
                    "http://" + host + request.getHttpURI().getPathQuery(), false);
            return true;
        }
        try {
            if (Request.getPathInContext(request).startsWith(AUTH_PATHS)) {
                relay(send(toForwardAuth(request)), response, callback);
                return true;
            }
            HttpResponse<byte[]> answer = send(authorizeRequest(request));
            if (answer.statusCode() / 100 != 2) {
                // Not allowed (yet): the browser gets forwardauth's answer, the login redirect included.
                relay(answer, response, callback);
                return true;
            }
            for (String cookie : answer.headers().allValues("Set-Cookie")) {
                response.getHeaders().add(HttpHeader.SET_COOKIE, cookie);
            }
            return super.handle(withIdentity(request, answer), response, callback);
        } catch (IOException e) {
            Response.writeError(request, response, callback, HttpStatus.BAD_GATEWAY_502,
                    "the gateway cannot reach forwardauth: " + e);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
            return true;
        }
    }

    /** The ForwardAuth question: the original request in X-Forwarded-*, plus the user's credentials. */
    private HttpRequest authorizeRequest(Request request) {
        HttpRequest.Builder ask = HttpRequest.newBuilder(URI.create(forwardauth + "/authorize")).GET().timeout(TIMEOUT)
                .header("X-Forwarded-Method", request.getMethod())
                .header("X-Forwarded-Proto", request.isSecure() ? "https" : "http")
                .header("X-Forwarded-Host", hostOf(request))
                .header("X-Forwarded-Uri", request.getHttpURI().getPathQuery())
                .header("X-Forwarded-For", Request.getRemoteAddr(request));
        HttpFields headers = request.getHeaders();
        for (String name : AUTH_REQUEST_HEADERS) {
            List<String> values = headers.getValuesList(name);
            if (name.equals("Cookie") && !values.isEmpty()) {
                ask.header(name, String.join("; ", values));
            } else {
                values.forEach(value -> ask.header(name, value));
            }
        }
        return ask.build();
    }

    /** The client's request without identity headers of its own, plus those forwardauth answered with. */
    private static Request withIdentity(Request request, HttpResponse<?> answer) {
        HttpFields.Mutable headers = HttpFields.build();
        for (HttpField field : request.getHeaders()) {
            if (!isIdentityHeader(field.getName())) {
                headers.add(field);
            }
        }
        for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
            if (isIdentityHeader(header.getKey())) {
                String name = displayName(header.getKey());
                header.getValue().forEach(value -> headers.add(name, value));
            }
        }
        HttpFields identified = headers.asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return identified;
            }
        };
    }

    /**
     * The JDK's client hands header names over in lower case; the page shows them as forwardauth writes
     * them (the claim part of X-Forwardauth-* is lower case by definition).
     */
    private static String displayName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith(IDENTITY_HEADER_PREFIX) ? "X-Forwardauth-" + lower.substring(IDENTITY_HEADER_PREFIX.length())
                : lower.equals("x-forwarded-user") ? "X-Forwarded-User" : "Authorization";
    }

    static boolean isIdentityHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return IDENTITY_HEADERS.contains(lower) || lower.startsWith(IDENTITY_HEADER_PREFIX);
    }

    /** forwardauth's own routes (/oauth2/signin, /oauth2/signout, ...), proxied as they are. */
    private HttpRequest toForwardAuth(Request request) throws IOException {
        ByteBuffer content = Content.Source.asByteBuffer(request);
        byte[] body = new byte[content.remaining()];
        content.get(body);
        HttpRequest.Builder proxied = HttpRequest.newBuilder(URI.create(forwardauth + request.getHttpURI().getPathQuery()))
                .timeout(TIMEOUT)
                .method(request.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (HttpField field : request.getHeaders()) {
            String lower = field.getLowerCaseName();
            // Traefik sets X-Forwarded-* itself and drops what an untrusted client sent.
            if (!NOT_FORWARDED.contains(lower) && !lower.startsWith("x-forwarded-")) {
                proxied.header(field.getName(), field.getValue());
            }
        }
        return proxied.header("X-Forwarded-Proto", request.isSecure() ? "https" : "http")
                .header("X-Forwarded-Host", hostOf(request))
                .header("X-Forwarded-For", Request.getRemoteAddr(request))
                .build();
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** forwardauth's answer as the client's response: status, headers (Location, Set-Cookie, ...) and body. */
    private static void relay(HttpResponse<byte[]> answer, Response response, Callback callback) {
        response.setStatus(answer.statusCode());
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(value -> response.getHeaders().add(name, value));
            }
        });
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    private static String hostOf(Request request) {
        String host = request.getHeaders().get(HttpHeader.HOST);
        return host != null ? host : Request.getServerName(request) + ":" + Request.getServerPort(request);
    }
}
