package dev.forwardauth.security.session;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
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
        return parts(data).map(OidcProfiles::toProfile);
    }

    /**
     * Everything of the profile that depends only on the session cookie's content, worked out once: the ID
     * token parsed and its claims converted, the access token encoded as pac4j keeps it. Empty if the stored ID
     * token no longer parses.
     */
    Optional<ProfileParts> parts(SessionData data) {
        OidcProfile template = new OidcProfile();
        BearerAccessToken accessToken = null;
        if (data.accessToken() != null) {
            accessToken = new BearerAccessToken(data.accessToken(), lifetimeSeconds(data), null);
            template.setAccessToken(accessToken);
        }
        if (data.idToken() != null) {
            template.setIdTokenString(data.idToken());
        }
        if (data.refreshToken() != null) {
            template.setRefreshToken(new RefreshToken(data.refreshToken()));
        }
        if (data.idToken() != null && !addIdTokenClaims(template, data.idToken())) {
            return Optional.empty();
        }
        // Set last, as OidcProfileCreator does, so no claim of the same name can replace them.
        template.setExpiration(data.accessTokenExpiresAt() == null ? null : Date.from(data.accessTokenExpiresAt()));
        template.setTokenExpirationAdvance(data.tokenExpirationAdvance());
        return Optional.of(new ProfileParts(data.clientName(), data.profileId(), frozen(template.getAttributes()),
                accessToken));
    }

    /** A new profile per request (pac4j may change it), from parts that many requests share. */
    static OidcProfile toProfile(ProfileParts parts) {
        SessionProfile profile = new SessionProfile(parts.accessToken(),
                parts.attributes().get(OidcProfileDefinition.ACCESS_TOKEN));
        profile.setId(parts.profileId());
        profile.setClientName(parts.clientName());
        profile.addAttributes(parts.attributes());
        return profile;
    }

    /**
     * A profile's attributes without a profile: immutable all the way down where they are collections, since
     * every profile built from them shares the values.
     */
    record ProfileParts(String clientName, String profileId, Map<String, Object> attributes,
                        BearerAccessToken accessToken) {
    }

    private static Map<String, Object> frozen(Map<String, Object> attributes) {
        Map<String, Object> copy = new LinkedHashMap<>();
        attributes.forEach((key, value) -> copy.put(key, frozenValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object frozenValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return frozen((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            // Not List.copyOf: JSON arrays may contain null.
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(frozenValue(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
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
