package dev.forwardauth.proxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * forwardauth behind a real nginx (Debian's nginx-light), configured with src/test/resources/proxies/nginx/
 * forwardauth.conf, the file docs/nginx.md shows: {@code auth_request} to /auth-request, whose 401 carries
 * the start URL that {@code error_page 401 =302} sends the browser to.
 */
class NginxIT extends ProxyContract {
    @Override
    String executable() {
        return "nginx";
    }

    @Override
    ProxyProcess startProxy(Path nginx, ProtectedSite site, Path dir) throws Exception {
        for (String sub : List.of("logs", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        ProxyConfigs.write(dir, "nginx.conf", "nginx/nginx.conf", Map.of());
        ProxyConfigs.write(dir, "forwardauth.conf", "nginx/forwardauth.conf", Map.of(
                "LISTEN", "127.0.0.1:" + site.port,
                "SERVER_NAME", ProtectedSite.HOST,
                "FORWARDAUTH", site.forwardauth.address(),
                "APP", site.app.address()));
        // -p: every relative path in the configuration (pid, logs, temp) is under the temp dir; -e: the
        // error log before the configuration is read, which would otherwise be /var/log/nginx/error.log.
        return ProxyProcess.start("nginx", List.of(nginx.toString(), "-p", dir + "/", "-c",
                dir.resolve("nginx.conf").toString(), "-e", dir.resolve("logs/error.log").toString()),
                dir, Map.of(), site.port);
    }

    /**
     * nginx cannot pass a redirect from the subrequest: forwardauth's /auth-request answers 401 with the
     * start URL, error_page turns it into a 302 there, and /oauth2/start sends the 307 to the identity
     * provider with the pending-login cookie.
     */
    @Override
    String toIdentityProvider(Browser browser, String page, LoopbackHttp.Response first) throws Exception {
        assertEquals(302, first.status(), first.toString());
        String start = first.location();
        assertEquals(site.url("/oauth2/start?rd=" + URLEncoder.encode(page, StandardCharsets.UTF_8)), start);
        LoopbackHttp.Response toIdp = browser.get(start);
        assertEquals(307, toIdp.status(), toIdp.toString());
        assertTrue(toIdp.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("FORWARDAUTH_LOGIN_")),
                toIdp.toString());
        return toIdp.location();
    }

    /** nginx answers 403 with its own page: the body of the subrequest's answer is not passed on. */
    @Override
    void assertForbidden(LoopbackHttp.Response answer) {
        assertTrue(answer.body().contains("nginx"), answer.toString());
    }

    /**
     * error_page cannot tell an API client's 401 from a browser's, so the client gets the redirect to the
     * start URL too (docs/nginx.md, limits).
     */
    @Override
    void assertApiClientMustSignIn(LoopbackHttp.Response answer) {
        assertEquals(302, answer.status(), answer.toString());
        assertTrue(answer.location().startsWith(site.url("/oauth2/start?rd=")), answer.location());
    }
}
