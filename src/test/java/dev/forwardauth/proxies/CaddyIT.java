package dev.forwardauth.proxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * forwardauth behind a real Caddy (Debian's package), configured with src/test/resources/proxies/caddy/
 * forwardauth.caddy, the file docs/caddy.md shows: {@code forward_auth} to /authorize, whose answers other
 * than 2xx Caddy returns to the client as they are.
 */
class CaddyIT extends ProxyContract {
    @Override
    String executable() {
        return "caddy";
    }

    @Override
    ProxyProcess startProxy(Path caddy, ProtectedSite site, Path dir) throws Exception {
        Files.writeString(dir.resolve("Caddyfile"), ProxyConfigs.read("caddy/Caddyfile"));
        Files.writeString(dir.resolve("forwardauth.caddy"), ProxyConfigs.read("caddy/forwardauth.caddy"));
        // The site file is used as it is: Caddy itself fills in {$SITE}, {$FORWARDAUTH} and {$APP}.
        // HOME and XDG_*: Caddy's autosave and certificate storage stay in the temp dir.
        Map<String, String> env = Map.of(
                "SITE", "http://" + ProtectedSite.HOST + ":" + site.port,
                "FORWARDAUTH", site.forwardauth.address(),
                "APP", site.app.address(),
                "HOME", dir.toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString(),
                "XDG_DATA_HOME", dir.resolve("data").toString());
        return ProxyProcess.start("caddy", List.of(caddy.toString(), "run", "--config",
                dir.resolve("Caddyfile").toString(), "--adapter", "caddyfile"), dir, env, site.port);
    }

    /** Caddy passes forwardauth's 307 to the identity provider through, pending-login cookie included. */
    @Override
    String toIdentityProvider(Browser browser, String page, LoopbackHttp.Response first) {
        assertEquals(307, first.status(), first.toString());
        assertTrue(first.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("FORWARDAUTH_LOGIN_")),
                first.toString());
        return first.location();
    }

    /** forwardauth's own 403 page, which names what the token lacks. */
    @Override
    void assertForbidden(LoopbackHttp.Response answer) {
        assertTrue(answer.body().contains("admin:site"), answer.toString());
    }

    /** forwardauth's 401 as it is: WWW-Authenticate, and the start URL for a client that can send a user there. */
    @Override
    void assertApiClientMustSignIn(LoopbackHttp.Response answer) {
        assertEquals(401, answer.status(), answer.toString());
        assertTrue(answer.header("WWW-Authenticate").orElseThrow().startsWith("Bearer"), answer.toString());
        assertTrue(answer.location().startsWith(site.url("/oauth2/start?rd=")), answer.location());
    }
}
