package dev.forwardauth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.reload.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload under {@code java -jar target/forwardauth.war}, where forwardauth owns the process: SIGHUP
 * reloads (as {@code kill -HUP} or {@code systemctl reload} send it), and a refused file is logged with exactly
 * the lines {@code --check-config} prints for it. The identity provider is a closed port: the rules used here
 * (anonymous, deny) never need it, and a reload must not wait for it.
 */
class LiveReloadWarIT {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    Path config;
    int port;
    String idp;
    WarProcess server;

    @BeforeEach
    void ports() throws IOException {
        port = freePort();
        idp = "http://127.0.0.1:" + freePort() + "/";
        config = dir.resolve("forwardauth.json");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    String config(String internal) {
        return """
                {"domain": "%s",
                 "session-secret": "0123456789abcdef0123456789abcdef",
                 "default": {"client-id": "id", "client-secret": "s", "audience": "https://api.example.com",
                             "redirect-uri": "https://auth.example.com/oauth2/signin",
                             "rules": [{"path": "/internal/**", "allow": "%s"}]}}
                """.formatted(idp, internal);
    }

    void start(String... jvmOptions) throws Exception {
        server = WarProcess.start(Files.createDirectory(dir.resolve("server")), Map.of(), List.of(jvmOptions),
                "--config", config.toString(), "--port", String.valueOf(port), "--host", "127.0.0.1");
        Await.until("/health answering 200 (stderr: " + server.stderr() + ")", () -> {
            assertTrue(server.isAlive(), () -> "exited:\n" + server.stderr());
            try {
                return get("/health").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    int decide(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/authorize"))
                .header("X-Forwarded-Method", "GET").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "app.example.com").header("X-Forwarded-Uri", path)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    void replace(String content) throws IOException {
        Path next = Files.writeString(dir.resolve("forwardauth.json.new"), content);
        Files.move(next, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void sighupReloadsTheConfig() throws Exception {
        Files.writeString(config, config("anonymous"));
        // Signal only: the file watch is off, so nothing but the SIGHUP below can bring the change in.
        start("-Dforwardauth.reload=signal");
        assertEquals(200, decide("/internal/reports"));
        replace(config("deny"));

        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(server.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -HUP");

        Await.until("/internal/reports answering 403", () -> decide("/internal/reports"), status -> status == 403);
        assertTrue(server.isAlive(), "SIGHUP reloads; it no longer stops the server");
        assertTrue(server.stderr().contains("config " + config + " reloaded (SIGHUP)"), server.stderr());
    }

    @Test
    void anInvalidFileIsRefusedWithTheLinesCheckConfigPrints() throws Exception {
        Files.writeString(config, config("deny"));
        start();

        replace(config("sometimes").replace("\"default\"", "\"colour\": \"blue\", \"default\""));

        WarProcess check = WarProcess.run(Files.createDirectory(dir.resolve("check")), "--check-config",
                "--config", config.toString());
        assertEquals(2, check.exitCode());
        List<String> problems = check.stderr().lines().toList();
        assertEquals(2, problems.size(), check.stderr());
        Await.until("every problem on a log line of its own", () -> problems.stream().allMatch(
                problem -> server.stderr().lines().anyMatch(line -> line.endsWith(" config: " + problem))));
        assertTrue(server.stderr().contains("config " + config + " not reloaded (the file changed): 2 problem(s);"
                + " still serving the configuration in use"), server.stderr());
        assertEquals(403, decide("/internal/reports"), "the configuration in use stays");
        assertTrue(server.isAlive());
    }

    @Test
    void anUnknownReloadSettingStopsTheStartNamingIt() throws Exception {
        Files.writeString(config, config("deny"));
        server = WarProcess.start(Files.createDirectory(dir.resolve("server")), Map.of(),
                List.of("-Dforwardauth.reload=sometimes"), "--config", config.toString(), "--port",
                String.valueOf(port), "--host", "127.0.0.1");

        assertEquals(2, server.awaitExit(Duration.ofSeconds(60)));
        assertTrue(server.stderr().contains("forwardauth.reload: must be one of watch, signal, off, got \"sometimes\""),
                server.stderr());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
