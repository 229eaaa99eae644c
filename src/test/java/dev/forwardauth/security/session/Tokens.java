package dev.forwardauth.security.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.pac4j.core.profile.AttributeLocation;
import org.pac4j.oidc.profile.OidcProfile;
import org.pac4j.oidc.profile.OidcProfileDefinition;

/**
 * Tokens shaped like Auth0's (RS256, same claims and lengths: an ID token of ~1.1 KB, an access token with
 * 20 RBAC permissions of ~1.5 KB), and the OidcProfile pac4j's OidcProfileCreator would build from them.
 */
final class Tokens {

    static final String ISSUER = "https://forwardauth-test.eu.auth0.com/";
    static final String CLIENT_ID = "Xq3kP9vR2mN7wL4tY8zB1cD6fG0hJ5aS";
    static final String SUBJECT = "auth0|64f1c2a9b7e3d5f6a8c9b0d1";
    static final String CLIENT_NAME = "app-example-com";

    private static final RSAKey KEY = generate();

    private Tokens() {
    }

    static String idToken(Instant issuedAt) {
        return idToken(issuedAt, Map.of());
    }

    static String idToken(Instant issuedAt, Map<String, Object> extraClaims) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        extraClaims.forEach(claims::claim);
        return sign(claims
                .claim("given_name", "Alexandra")
                .claim("family_name", "Montgomery-Whitfield")
                .claim("nickname", "alexandra.montgomery")
                .claim("name", "Alexandra Montgomery-Whitfield")
                .claim("picture", "https://s.gravatar.com/avatar/5f4dcc3b5aa765d61d8327deb882cf99?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fam.png")
                .claim("updated_at", "2026-11-20T09:41:27.512Z")
                .claim("email", "alexandra.montgomery-whitfield@example.com")
                .claim("email_verified", true)
                .issuer(ISSUER)
                .audience(CLIENT_ID)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plusSeconds(36000)))
                .subject(SUBJECT)
                .claim("sid", "Qm9Tr2xVbP8nK4wJ7yH1cF6gD3sA5zL0")
                .claim("nonce", "b3JpZ2luYWwtbm9uY2UtdmFsdWUtZm9yLXRlc3Q")
                .build(), JOSEObjectType.JWT);
    }

    static String accessToken(Instant issuedAt, Instant expiresAt, int permissions) {
        List<String> granted = new ArrayList<>();
        String[] areas = {"finance-reports", "customer-invoices", "customer-accounts", "purchase-orders", "warehouse-inventory"};
        String[] verbs = {"read", "create", "update", "delete"};
        for (int i = 0; i < permissions; i++) {
            // Beyond the first 20, names an RBAC setup would not repeat: they do not compress away.
            String suffix = i < 20 ? "" : "-" + Integer.toHexString(Integer.reverse(i * 0x9E3779B1));
            granted.add(verbs[i % verbs.length] + ":" + areas[(i / verbs.length) % areas.length] + suffix);
        }
        return sign(new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(SUBJECT)
                .audience(List.of("https://api.example.com/", ISSUER + "userinfo"))
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .claim("scope", "openid profile email offline_access")
                .claim("azp", CLIENT_ID)
                .claim("org_id", "org_9Xk2LmP4qR7sT1vW")
                .claim("permissions", granted)
                .build(), JOSEObjectType.JWT);
    }

    static String refreshToken() {
        byte[] bytes = new byte[96];
        new SecureRandom().nextBytes(bytes);
        return "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** As OidcProfileCreator builds it after a code exchange, with {@code expires_in} from the token response. */
    static OidcProfile profile(String idToken, String accessToken, long expiresInSeconds, String refreshToken) {
        OidcProfile profile = new OidcProfile();
        profile.setAccessToken(new BearerAccessToken(accessToken, expiresInSeconds, new Scope("openid", "profile")));
        profile.setIdTokenString(idToken);
        if (refreshToken != null) {
            profile.setRefreshToken(new RefreshToken(refreshToken));
        }
        profile.setId(SUBJECT);
        profile.setClientName(CLIENT_NAME);
        OidcProfileDefinition definition = new OidcProfileDefinition();
        try {
            for (Map.Entry<String, Object> claim : SignedJWT.parse(idToken).getJWTClaimsSet().getClaims().entrySet()) {
                if (!"sub".equals(claim.getKey()) && profile.getAttribute(claim.getKey()) == null) {
                    definition.convertAndAdd(profile, AttributeLocation.PROFILE_ATTRIBUTE, claim.getKey(), claim.getValue());
                }
            }
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        profile.setTokenExpirationAdvance(0);
        return profile;
    }

    private static String sign(JWTClaimsSet claims, JOSEObjectType type) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(type).keyID(KEY.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("Nk3QmZ8xR2vT7wY1pL4sJ9cF").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
