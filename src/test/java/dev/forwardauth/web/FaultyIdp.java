package dev.forwardauth.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * A real HTTP front for mock-oauth2-server, on 127.0.0.1, that a test switches to the ways an IdP fails:
 * {@link Fault#HANG} answers only after {@link #HANG} (30 s), {@link Fault#FAIL} answers 500,
 * {@link Fault#DROP} closes the connection without an answer, and {@link #stop()} closes the port so that
 * connections are refused ({@link #start()} opens the same port again). Otherwise every request is passed to
 * the real server, and counted by endpoint. forwardauth is pointed here with {@code domain} (discovery) or an
 * endpoint override; one front per endpoint lets a test break one call and leave the others working. The
 * browser's authorize step stays with the real server, and the discovery document is the real one, so the
 * issuer tokens carry is the real server's.
 */
final class FaultyIdp implements AutoCloseable {
    static final Duration HANG = Duration.ofSeconds(30);

    enum Endpoint { DISCOVERY, JWKS, TOKEN, USERINFO, LOGOUT, OTHER }

    enum Fault { NONE, HANG, FAIL, DROP }

    private final URI upstream;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "faulty-idp");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Fault fault = Fault.NONE;
    private final Map<Endpoint, AtomicInteger> requests = new EnumMap<>(Endpoint.class);
    private volatile CountDownLatch hanging = new CountDownLatch(1);
    private final int port;
    private HttpServer server;

    FaultyIdp(MockOAuth2Server idp) throws IOException {
        this.upstream = URI.create(idp.baseUrl().toString());
        for (Endpoint endpoint : Endpoint.values()) {
            requests.put(endpoint, new AtomicInteger());
        }
        server = listen(0);
        port = server.getAddress().getPort();
    }

    /** forwardauth's {@code domain}: discovery at {@code <this>/.well-known/openid-configuration}. */
    String domain() {
        return base() + Logins.ISSUER_ID;
    }

    String tokenUri() {
        return domain() + "/token";
    }

    String jwksUri() {
        return domain() + "/jwks";
    }

    String userinfoUri() {
        return domain() + "/userinfo";
    }

    String logoutUri() {
        return domain() + "/endsession";
    }

    /** From now on every request here meets this fault. */
    void fault(Fault fault) {
        this.fault = fault;
    }

    /**
     * Answers again, on the same port, and counts from zero; requests that hang are let go now (answered 504:
     * their callers have long given up).
     */
    void reset() throws IOException {
        fault = Fault.NONE;
        start();
        release();
        requests.values().forEach(count -> count.set(0));
    }

    private void release() {
        CountDownLatch held = hanging;
        hanging = new CountDownLatch(1);
        held.countDown();
    }

    int requests(Endpoint endpoint) {
        return requests.get(endpoint).get();
    }

    /** The IdP is down: its port refuses connections. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Back on the same port. */
    synchronized void start() throws IOException {
        if (server == null) {
            server = listen(port);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    private HttpServer listen(int onPort) throws IOException {
        HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 100);
        created.setExecutor(threads);
        created.createContext("/", this::handle);
        created.start();
        return created;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Endpoint endpoint = endpointOf(exchange.getRequestURI().getPath());
            requests.get(endpoint).incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            Fault fault = this.fault;
            if (fault == Fault.DROP) {
                return; // closed below without a status line
            }
            if (fault == Fault.FAIL) {
                respond(exchange, 500, "text/html", "<html><body>Internal Server Error</body></html>".getBytes());
                return;
            }
            if (fault == Fault.HANG && released()) {
                // The test is over and the caller gave up long ago: an answer must not reach the real server
                // now, where it would take a token meant for the next test.
                respond(exchange, 504, "text/plain", new byte[0]);
                return;
            }
            pass(exchange, body);
        } finally {
            exchange.close();
        }
    }

    /** Waits {@link #HANG}; true when let go early by {@link #reset()} or {@link #close()}. */
    private boolean released() {
        try {
            return hanging.await(HANG.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void pass(HttpExchange exchange, byte[] body) throws IOException {
        URI target = upstream.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : new String[] {"Content-Type", "Authorization", "Accept"}) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        try {
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            answer.headers().firstValue("Location").ifPresent(l -> exchange.getResponseHeaders().set("Location", l));
            respond(exchange, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("text/plain"),
                    answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 502, "text/plain", new byte[0]);
        } catch (IOException e) {
            respond(exchange, 502, "text/plain", new byte[0]);
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Endpoint endpointOf(String path) {
        if (path.endsWith("/.well-known/openid-configuration")) {
            return Endpoint.DISCOVERY;
        }
        if (path.endsWith("/jwks")) {
            return Endpoint.JWKS;
        }
        if (path.endsWith("/token")) {
            return Endpoint.TOKEN;
        }
        if (path.endsWith("/userinfo")) {
            return Endpoint.USERINFO;
        }
        if (path.endsWith("/endsession")) {
            return Endpoint.LOGOUT;
        }
        return Endpoint.OTHER;
    }

    @Override
    public void close() {
        fault = Fault.NONE;
        release();
        stop();
        threads.shutdownNow();
    }
}
