package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pac4j.core.util.Pac4jConstants;

/**
 * Cookies nobody sealed with our secret: whatever a client sends under our cookie names (garbage, cut or
 * chunked values, values sealed by another deployment's secret, spliced together) is no session and no
 * login under way, the store never throws, and the only cookies it writes back are deletions of ones the
 * browser sent. Input: lines "NAME=value" (ISO-8859-1); "$FOREIGN" in a value stands for that cookie as a
 * store with another secret really wrote it. Seeds in SessionCookieFuzzTestInputs.
 */
class SessionCookieFuzzTest {

    static final String STATE = "fuzz-state";
    private static final MutableClock CLOCK = new MutableClock();
    private static final CookieSessionStore STORE =
            new CookieSessionStore(SessionSettings.of(SessionCookieTest.SECRET, 43200, 300), CLOCK);
    private static final Map<String, String> FOREIGN = foreignCookies();

    private static Map<String, String> foreignCookies() {
        CookieSessionStore foreign = new CookieSessionStore(
                SessionSettings.of("another-deployment-secret-of-32-characters", 43200, 300), CLOCK);
        Map<String, String> cookies = new LinkedHashMap<>(SealedCookies.session(foreign, CLOCK));
        cookies.putAll(SealedCookies.pendingLogin(foreign, STATE));
        return cookies;
    }

    @FuzzTest
    void cookiesWeDidNotSealAreNoSessionAndNoLogin(byte[] input) {
        Exchange exchange = new Exchange().parameter("state", STATE);
        exchange.url = "https://app.example.com/oauth2/signin?state=" + STATE;
        Set<String> sent = new HashSet<>();
        for (String line : new String(input, StandardCharsets.ISO_8859_1).split("\n")) {
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq);
            if (!name.matches("[A-Za-z0-9_]+")) {
                continue; // not a cookie name a container would hand over
            }
            String value = eq < 0 ? "" : line.substring(eq + 1).replace("$FOREIGN", FOREIGN.getOrDefault(name, ""));
            exchange.cookie(name, value);
            sent.add(name);
        }

        assertTrue(STORE.get(exchange.context(), Pac4jConstants.USER_PROFILES).isEmpty(), "a session opened");
        assertTrue(STORE.getSessionId(exchange.context(), false).isEmpty());
        assertEquals(PendingLogin.Status.UNKNOWN, STORE.lookup(exchange.context(), STATE).status());
        assertTrue(STORE.get(exchange.context(), SealedCookies.CLIENT + "$stateSessionParameter").isEmpty());
        assertTrue(STORE.get(exchange.context(), SealedCookies.CLIENT + "$nonceSessionParameter").isEmpty());
        STORE.commit(exchange.context(), CookieSettings.hostOnly(true));
        for (String setCookie : exchange.setCookies) {
            String name = setCookie.substring(0, setCookie.indexOf('='));
            assertEquals("0", FakeHttp.attributes(setCookie).get("max-age"), setCookie);
            assertTrue(sent.contains(name), "deleted a cookie the browser did not send: " + name);
        }
    }
}
