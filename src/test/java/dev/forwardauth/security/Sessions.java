package dev.forwardauth.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.forwardauth.security.session.CookieSettings;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.MockWebContext;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.oidc.profile.OidcProfile;

/**
 * Browser sessions as forwardauth's own cookie store makes them: a profile saved the way pac4j's callback
 * saves it, committed to Set-Cookie, and sent back by the next request.
 */
final class Sessions {
    private static final ECKey KEY = generate();

    private Sessions() {
    }

    /** A JWT signed by some key: session tokens are read from our own cookie, never verified again. */
    static String jwt(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KEY.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The profile pac4j makes at a login of {@code clientName}, its access token valid until {@code accessExpiry}. */
    static OidcProfile profile(String clientName, String subject, Instant accessExpiry, Map<String, Object> accessClaims,
                               boolean refreshToken) {
        JWTClaimsSet.Builder access = new JWTClaimsSet.Builder().subject(subject).audience(TestSetup.AUDIENCE)
                .expirationTime(Date.from(accessExpiry));
        accessClaims.forEach(access::claim);
        OidcProfile profile = new OidcProfile();
        profile.setId(subject);
        profile.setClientName(clientName);
        profile.setIdTokenString(jwt(new JWTClaimsSet.Builder().subject(subject).claim("email", subject + "@example.com")
                .claim("Given_Name", "Alice").claim("nonce", "n-0S6_WzA2Mj").build()));
        profile.addAttribute("email", subject + "@example.com");
        profile.addAttribute("Given_Name", "Alice");
        profile.setAccessToken(new BearerAccessToken(jwt(access.build()), 300, null));
        profile.setExpiration(Date.from(accessExpiry));
        if (refreshToken) {
            profile.setRefreshToken(new RefreshToken("refresh-" + subject));
        }
        return profile;
    }

    /** The cookies a browser holds after a request that saved {@code profile} in the session. */
    static Collection<Cookie> saved(ForwardAuthSecurity security, OidcProfile profile) {
        MockWebContext callback = MockWebContext.create();
        security.sessionStore().set(callback, Pac4jConstants.USER_PROFILES, Map.of(profile.getClientName(), profile));
        security.sessionStore().commit(callback, CookieSettings.hostOnly(true));
        return List.copyOf(callback.getResponseCookies());
    }

    /** A request that carries {@code cookies}, as a browser sends them back. */
    static MockWebContext requestWith(Collection<Cookie> cookies) {
        MockWebContext request = MockWebContext.create();
        for (Cookie cookie : cookies) {
            if (cookie.getMaxAge() != 0) {
                request.getRequestCookies().add(new Cookie(cookie.getName(), cookie.getValue()));
            }
        }
        return request;
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("session-test").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
