package dev.forwardauth.security.session;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.profile.AttributeLocation;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.profile.jwt.JwtClaims;
import org.pac4j.oidc.profile.OidcProfile;
import org.pac4j.oidc.profile.OidcProfileDefinition;

/**
 * Turns pac4j's {@link OidcProfile} into the few values the cookie keeps, and back into a profile that
 * pac4j's {@code ProfileManager} treats like the one it saved: same id, client, tokens, expiration (so
 * {@code isExpired()} triggers {@code OidcClient.renewUserProfile} with the refresh token) and the ID
 * token's claims as attributes, converted exactly as {@code OidcProfileCreator} converts them.
 */
final class OidcProfiles {

    // Where OidcProfile keeps tokens and expiry. pac4j's creator would take a claim of the same name when
    // the real value is absent (no refresh token: an ID-token claim "refresh_token" would become one);
    // these only ever come from the cookie's own fields.
    private static final Set<String> INTERNAL_ATTRIBUTES = Set.of(JwtClaims.SUBJECT, OidcProfileDefinition.ACCESS_TOKEN,
            OidcProfileDefinition.ID_TOKEN, OidcProfileDefinition.REFRESH_TOKEN, OidcProfileDefinition.EXPIRATION,
            OidcProfileDefinition.TOKEN_EXPIRATION_ADVANCE);

    private final OidcProfileDefinition definition = new OidcProfileDefinition();

    /**
     * A session never outlives session-max-age after the login, nor its ability to get a fresh access token:
     * without a refresh token it ends when the access token does.
     */
    Optional<SessionData> toSessionData(UserProfile profile, Instant loginAt, Instant absoluteExpiry) {
        if (!(profile instanceof OidcProfile oidc) || oidc.getId() == null || oidc.getClientName() == null) {
            return Optional.empty();
        }
        AccessToken accessToken = oidc.getAccessToken();
        RefreshToken refreshToken = oidc.getRefreshToken();
        Date expiration = oidc.getExpiration();
        Instant accessTokenExpiresAt = expiration == null ? null : expiration.toInstant();
        Instant expiresAt = absoluteExpiry;
        if (refreshToken == null && accessTokenExpiresAt != null && accessTokenExpiresAt.isBefore(expiresAt)) {
            expiresAt = accessTokenExpiresAt;
        }
        return Optional.of(new SessionData(oidc.getClientName(), oidc.getId(), oidc.getIdTokenString(),
                accessToken == null ? null : accessToken.getValue(), accessTokenExpiresAt,
                oidc.getTokenExpirationAdvance(), refreshToken == null ? null : refreshToken.getValue(),
                loginAt, expiresAt));
    }

    /** Empty if the stored ID token no longer parses; that can only be a bug, and means "no session". */
    Optional<OidcProfile> toProfile(SessionData data) {
        OidcProfile profile = new OidcProfile();
        profile.setId(data.profileId());
        profile.setClientName(data.clientName());
        if (data.accessToken() != null) {
            profile.setAccessToken(new BearerAccessToken(data.accessToken(), lifetimeSeconds(data), null));
        }
        if (data.idToken() != null) {
            profile.setIdTokenString(data.idToken());
        }
        if (data.refreshToken() != null) {
            profile.setRefreshToken(new RefreshToken(data.refreshToken()));
        }
        if (data.idToken() != null && !addIdTokenClaims(profile, data.idToken())) {
            return Optional.empty();
        }
        // Set last, as OidcProfileCreator does, so no claim of the same name can replace them.
        profile.setExpiration(data.accessTokenExpiresAt() == null ? null : Date.from(data.accessTokenExpiresAt()));
        profile.setTokenExpirationAdvance(data.tokenExpirationAdvance());
        return Optional.of(profile);
    }

    // A non-zero lifetime spares OidcProfile.setAccessToken parsing the JWT for its exp on every request;
    // the exact expiry is set afterwards either way. Zero (unknown) lets pac4j look into the token itself.
    private static long lifetimeSeconds(SessionData data) {
        if (data.accessTokenExpiresAt() == null) {
            return 0;
        }
        return Math.max(1, Duration.between(Instant.now(), data.accessTokenExpiresAt()).getSeconds());
    }

    // The token was validated (signature, iss, aud, nonce) when the login completed, and the cookie that
    // carries it is authenticated, so its claims are read without validating again: its exp has no bearing
    // on the session, which follows the access token.
    private boolean addIdTokenClaims(OidcProfile profile, String idToken) {
        try {
            Map<String, Object> claims = JWTParser.parse(idToken).getJWTClaimsSet().getClaims();
            for (Map.Entry<String, Object> claim : claims.entrySet()) {
                if (!INTERNAL_ATTRIBUTES.contains(claim.getKey()) && profile.getAttribute(claim.getKey()) == null) {
                    definition.convertAndAdd(profile, AttributeLocation.PROFILE_ATTRIBUTE, claim.getKey(), claim.getValue());
                }
            }
            return true;
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }
}
