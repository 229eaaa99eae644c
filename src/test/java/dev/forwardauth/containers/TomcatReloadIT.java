package dev.forwardauth.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forwardauth.reload.Await;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Live reload in Tomcat 11, where forwardauth is one webapp among others and leaves SIGHUP to the container:
 * a changed config file is followed all the same, and undeploying the webapp (its WAR removed, as an operator
 * or a deploy tool does) leaves no thread behind. Tomcat itself looks for threads a stopped webapp left
 * running and names each in its log; none may be ours.
 */
class TomcatReloadIT {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static String config(String idp, String internal) {
        return """
                {"domain": "%s",
                 "session-secret": "0123456789abcdef0123456789abcdef",
                 "default": {"client-id": "id", "client-secret": "s", "audience": "https://api.example.com",
                             "redirect-uri": "https://auth.example.com/oauth2/signin",
                             "rules": [{"path": "/internal/**", "allow": "%s"}]}}
                """.formatted(idp, internal);
    }

    static int decide(ServletContainer tomcat, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(tomcat.uri("/authorize")).header("X-Forwarded-Method", "GET")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "app.example.com")
                .header("X-Forwarded-Uri", path).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aChangedFileIsReloadedAndUndeployingLeavesNoThreadRunning() throws Exception {
        String idp; // a closed port: the rules used here never need the identity provider
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            idp = "http://127.0.0.1:" + socket.getLocalPort() + "/";
        }
        try (Tomcat tomcat = new Tomcat("tomcat-11", "11.0", Tomcat.ConfigBy.SETENV_SH, "ROOT")) {
            tomcat.start(config(idp, "anonymous"));
            assertEquals(200, decide(tomcat, "/internal/reports"));
            Path file = tomcat.dir.resolve("forwardauth.json");
            Path next = Files.writeString(tomcat.dir.resolve("forwardauth.json.new"), config(idp, "deny"));
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            Await.until("/internal/reports answering 403", () -> decide(tomcat, "/internal/reports"),
                    status -> status == 403);

            Path webapps = tomcat.dir.resolve("catalina-base/webapps");
            Files.delete(webapps.resolve("ROOT.war"));
            // Tomcat deletes the unpacked folder once the context has stopped, its class loader included, which
            // is when it reports the threads a webapp left running.
            Await.until("Tomcat to undeploy the webapp", () -> !Files.exists(webapps.resolve("ROOT")));
            List<String> leaks = tomcat.log().lines().filter(line -> line.contains("appears to have started a thread"))
                    .toList();
            assertEquals(List.of(), leaks, tomcat.log());
        }
    }
}
