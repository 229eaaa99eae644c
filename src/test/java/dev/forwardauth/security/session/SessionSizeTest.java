package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.security.session.FakeHttp.Browser;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.oidc.profile.OidcProfile;

class SessionSizeTest {

    private static final int BROWSER_COOKIE_LIMIT = 4096;

    private final MutableClock clock = new MutableClock();
    private final CookieSessionStore store = new CookieSessionStore(SessionSettings.of(SessionCookieTest.SECRET, 43200, 300), clock);
    private final Browser browser = new Browser();

    @Test
    void anAuth0SizedSessionFitsOneCookieWellUnder4Kb() {
        Instant now = clock.instant();
        String idToken = Tokens.idToken(now);
        String accessToken = Tokens.accessToken(now, now.plusSeconds(86400), 20);
        String refreshToken = Tokens.refreshToken();

        Exchange login = login(Tokens.profile(idToken, accessToken, 86400, refreshToken));

        String header = login.setCookie("FORWARDAUTH");
        int cookieBytes = header.split(";", 2)[0].getBytes(StandardCharsets.US_ASCII).length;
        System.out.printf("Auth0-sized session: ID token %d B, access token %d B, refresh token %d B"
                + " -> FORWARDAUTH name+value %d B, Set-Cookie header %d B%n",
                idToken.length(), accessToken.length(), refreshToken.length(), cookieBytes, header.length());
        assertTrue(idToken.length() > 1000 && accessToken.length() > 1400, "tokens are Auth0-sized");
        assertEquals(List.of("FORWARDAUTH"), FakeHttp.names(login.setCookies));
        assertTrue(cookieBytes < CookieChunks.MAX_CHUNK_LENGTH, cookieBytes + " bytes");
    }

    @Test
    void aSessionTooLargeForOneCookieIsSplitAndReassembledAndStaleChunksAreDeleted() {
        Instant now = clock.instant();
        String largeAccessToken = Tokens.accessToken(now, now.plusSeconds(3600), 160);
        Exchange large = login(Tokens.profile(Tokens.idToken(now), largeAccessToken, 3600, Tokens.refreshToken()));

        System.out.printf("Access token with 160 permissions (%d B) -> %s%n", largeAccessToken.length(),
                large.setCookies.stream().map(h -> h.substring(0, h.indexOf('=')) + " " + h.length() + " B").toList());
        assertEquals(List.of("FORWARDAUTH", "FORWARDAUTH_1"), FakeHttp.names(large.setCookies));
        large.setCookies.forEach(header -> assertTrue(header.length() < BROWSER_COOKIE_LIMIT, header.length() + " B"));
        assertEquals(largeAccessToken, readProfile().getAccessToken().getValue());

        Exchange small = login(Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(3600), 3), 3600, null));

        assertEquals(List.of("FORWARDAUTH", "FORWARDAUTH_1"), FakeHttp.names(small.setCookies));
        assertEquals("0", FakeHttp.attributes(small.setCookie("FORWARDAUTH_1")).get("max-age"));
        assertEquals(List.of("FORWARDAUTH"), browser.names());
        assertTrue(readProfile().getAccessToken().getValue().length() < 1000);
    }

    @Test
    void aSessionBeyondWhatAnyBrowserCouldCarryFailsLoudlyAtCommitSayingHowLarge() {
        Instant now = clock.instant();
        byte[] noise = new byte[9000];
        new SecureRandom().nextBytes(noise);
        String hugeAccessToken = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(noise);
        Exchange exchange = browser.get("https://app.example.com/oauth2/signin");
        new ProfileManager(exchange.context(), store).save(true,
                Tokens.profile(Tokens.idToken(now), hugeAccessToken, 3600, null), false);

        SessionNotWrittenException error = assertThrows(SessionNotWrittenException.class,
                () -> store.commit(exchange.context(), CookieSettings.hostOnly(true)));
        assertTrue(error.getMessage().matches("the tokens are too large for the session cookie: \\d{5} bytes, at most"
                + " 8192 \\(.*\\)"), error.getMessage());
        assertFalse(error.getMessage().contains(hugeAccessToken.substring(0, 40)), error.getMessage());
        // The session is dropped: the error page's commit writes no session cookie.
        store.commit(exchange.context(), CookieSettings.hostOnly(true));
        assertTrue(exchange.setCookies.isEmpty(), exchange.setCookies.toString());
    }

    @Test
    void theSizeCheckedBeforeSealingIsTheSizeSealed() {
        SessionCrypto crypto = SessionCrypto.forSessions(SessionCookieTest.SECRET, new SecureRandom());
        for (int length = 0; length < 64; length++) {
            assertEquals(crypto.seal("FORWARDAUTH", new byte[length]).length(), SessionCrypto.sealedLength(length),
                    "plaintext of " + length + " bytes");
        }
        assertEquals(crypto.seal("FORWARDAUTH", new byte[6000]).length(), SessionCrypto.sealedLength(6000));
    }

    @Test
    void measuresWhatEveryAuthorizeRequestPays() {
        Instant now = clock.instant();
        login(Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(86400), 20), 86400, Tokens.refreshToken()));
        String cookie = browser.jar.get("FORWARDAUTH");
        SessionCrypto crypto = SessionCrypto.forSessions(SessionCookieTest.SECRET, new SecureRandom());
        byte[] plaintext = crypto.open("FORWARDAUTH", cookie).orElseThrow();

        for (int i = 0; i < 3000; i++) {
            crypto.open("FORWARDAUTH", crypto.seal("FORWARDAUTH", plaintext));
            readProfile();
        }
        int rounds = 5000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            crypto.seal("FORWARDAUTH", plaintext);
        }
        long sealed = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            crypto.open("FORWARDAUTH", cookie);
        }
        long opened = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            readProfile();
        }
        long read = System.nanoTime();
        double sealMicros = (sealed - start) / 1e3 / rounds;
        double openMicros = (opened - sealed) / 1e3 / rounds;
        double readMicros = (read - opened) / 1e3 / rounds;
        System.out.printf("Per call: seal %.1f us, open %.1f us, full session read (open, inflate, decode,"
                + " rebuild OidcProfile from the ID token) %.1f us%n", sealMicros, openMicros, readMicros);
        assertTrue(readMicros < 5000, "a session read should cost microseconds, not milliseconds");
    }

    private Exchange login(OidcProfile profile) {
        Exchange exchange = browser.get("https://app.example.com/oauth2/signin");
        new ProfileManager(exchange.context(), store).save(true, profile, false);
        store.commit(exchange.context(), CookieSettings.forDomain(true, "example.com"));
        browser.receive(exchange);
        return exchange;
    }

    private OidcProfile readProfile() {
        Map<?, ?> profiles = (Map<?, ?>) store.get(browser.get("https://app.example.com/authorize").context(),
                Pac4jConstants.USER_PROFILES).orElseThrow();
        return (OidcProfile) profiles.values().iterator().next();
    }
}
