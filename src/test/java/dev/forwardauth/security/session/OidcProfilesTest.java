package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.pac4j.oidc.profile.OidcProfile;

class OidcProfilesTest {

    private final OidcProfiles profiles = new OidcProfiles();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void isExpiredExactlyWhenTheStoredAccessTokenExpiryHasPassed() {
        OidcProfile valid = rebuild(now.plusSeconds(2), 0);
        OidcProfile expired = rebuild(now.minusMillis(1), 0);

        assertEquals(Date.from(now.plusSeconds(2)), valid.getExpiration());
        assertFalse(valid.isExpired());
        assertTrue(expired.isExpired());
    }

    @Test
    void honoursTheTokenExpirationAdvanceOfTheClientConfiguration() {
        assertTrue(rebuild(now.plusSeconds(30), 60).isExpired(), "renewed 60 s before the token expires");
        assertFalse(rebuild(now.minusSeconds(30), -1).isExpired(), "negative advance: never expires");
    }

    @Test
    void anAccessTokenWithoutKnownExpiryNeverExpiresTheProfile() {
        OidcProfile profile = rebuild(null, 0);

        assertNull(profile.getExpiration());
        assertFalse(profile.isExpired());
    }

    @Test
    void aSessionWithoutRefreshTokenEndsWithItsAccessTokenAndOneWithItAtTheAbsoluteLimit() {
        OidcProfile withoutRefresh = Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(600), 1), 600, null);
        withoutRefresh.setExpiration(Date.from(now.plusSeconds(600)));
        OidcProfile withRefresh = Tokens.profile(Tokens.idToken(now), Tokens.accessToken(now, now.plusSeconds(600), 1), 600, "rt");

        Instant limit = now.plus(Duration.ofHours(12));

        assertEquals(now.plusSeconds(600), profiles.toSessionData(withoutRefresh, now, limit).orElseThrow().expiresAt());
        assertEquals(limit, profiles.toSessionData(withRefresh, now, limit).orElseThrow().expiresAt());
    }

    @Test
    void claimsNamedLikeProfileInternalsCannotOverrideTheTokens() {
        String idToken = Tokens.idToken(now, java.util.Map.of("access_token", "planted", "refresh_token", "planted",
                "expiration", 0L, "token_expiration_advance", -1, "id_token", "planted"));
        SessionData data = new SessionData(Tokens.CLIENT_NAME, Tokens.SUBJECT, idToken, "real-access-token",
                now.minusSeconds(1), 0, null, now, now.plusSeconds(60));

        OidcProfile profile = profiles.toProfile(data).orElseThrow();

        assertEquals("real-access-token", profile.getAccessToken().getValue());
        assertEquals(idToken, profile.getIdTokenString());
        assertNull(profile.getRefreshToken());
        assertEquals(Date.from(now.minusSeconds(1)), profile.getExpiration());
        assertTrue(profile.isExpired());
        assertEquals(Tokens.SUBJECT, profile.getId());
        assertEquals("alexandra.montgomery-whitfield@example.com", profile.getEmail());
    }

    @Test
    void theAccessTokenIsTheOneItWasBuiltWithUntilSomethingReplacesIt() {
        OidcProfile profile = rebuild(now.plusSeconds(60), 0);
        OidcProfile plain = new OidcProfile();
        plain.addAttributes(profile.getAttributes());
        assertEquals(plain.getAccessToken().getValue(), profile.getAccessToken().getValue(), "as pac4j decodes it");
        assertSame(profile.getAccessToken(), profile.getAccessToken(), "decoded once, not on every call");

        profile.setAccessToken(new com.nimbusds.oauth2.sdk.token.BearerAccessToken("renewed"));
        assertEquals("renewed", profile.getAccessToken().getValue());
        profile.removeLoginData();
        assertNull(profile.getAccessToken());
    }

    @Test
    void anUnparseableIdTokenMeansNoProfile() {
        SessionData data = session(now.plusSeconds(60), 0);
        SessionData broken = new SessionData(data.clientName(), data.profileId(), "not-a-jwt", data.accessToken(),
                data.accessTokenExpiresAt(), 0, null, data.loginAt(), data.expiresAt());

        assertTrue(profiles.toProfile(broken).isEmpty());
    }

    private OidcProfile rebuild(Instant accessTokenExpiresAt, int advance) {
        return profiles.toProfile(session(accessTokenExpiresAt, advance)).orElseThrow();
    }

    private SessionData session(Instant accessTokenExpiresAt, int advance) {
        return new SessionData(Tokens.CLIENT_NAME, Tokens.SUBJECT, Tokens.idToken(now),
                Tokens.accessToken(now, now.plusSeconds(3600), 3), accessTokenExpiresAt, advance, "rt", now, now.plusSeconds(3600));
    }
}
