package dev.forwardauth.security.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A JWKS endpoint on 127.0.0.1, port 0, that publishes what the test says and counts every request. It can
 * also fail (500) or hang, like an IdP in trouble; {@link #close()} lets hanging requests go.
 */
final class JwksServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet());
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile boolean failing;
    private volatile CountDownLatch hang;

    JwksServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/jwks", exchange -> {
            requests.incrementAndGet();
            CountDownLatch held = hang;
            if (held != null) {
                try {
                    held.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = (failing ? "{\"error\":\"internal\"}" : published.get().toString(true))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(failing ? 500 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException e) {
                // the client gave up waiting
            }
            answered.incrementAndGet();
        });
        server.start();
    }

    /** Publishes only the public parts, as a real IdP does. */
    void publish(JWK... keys) {
        published.set(new JWKSet(List.of(keys)).toPublicJWKSet());
    }

    /** Answers 500 from now on (or again the keys). */
    void failing(boolean fail) {
        failing = fail;
    }

    /** Requests from now on get no answer until {@link #release()}. */
    void hang() {
        hang = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch held = hang;
        hang = null;
        if (held != null) {
            held.countDown();
        }
    }

    int requests() {
        return requests.get();
    }

    /** Requests answered so far (after a hang, once released). */
    int answered() {
        return answered.get();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
