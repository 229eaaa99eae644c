package dev.forwardauth.security.token;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Set;

/**
 * Cheap structural checks before any key lookup or crypto, each with its own message: what kind of token this
 * is (opaque, unsigned, encrypted, signed) and whether its algorithm is one we accept at all.
 */
final class AccessTokenShape {
    // Asymmetric only. HMAC would let anyone holding the public key (everyone) sign tokens: RFC 8725, 3.1.
    static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    // Far above any real access token (Auth0's are 1-3 KB) and above what proxies forward in one header anyway.
    static final int MAX_LENGTH = 16 * 1024;

    static final String OPAQUE = "access token is not a JWT (opaque tokens cannot be validated;"
            + " set the app's audience to an API identifier)";
    static final String MALFORMED = "access token is malformed";

    private AccessTokenShape() {
    }

    static SignedJWT parse(String token) throws InvalidAccessTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidAccessTokenException("access token is missing");
        }
        if (token.length() > MAX_LENGTH) {
            throw new InvalidAccessTokenException("access token is too large");
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            throw new InvalidAccessTokenException(OPAQUE);
        }
        checkHeader(header(token.substring(0, dot)));
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            // Parsed now so a payload that is not a claims set gets its own message; Nimbus keeps the result.
            jwt.getJWTClaimsSet();
            return jwt;
        } catch (ParseException e) {
            throw new InvalidAccessTokenException(MALFORMED);
        }
    }

    private static Header header(String encoded) throws InvalidAccessTokenException {
        try {
            return Header.parse(new Base64URL(encoded));
        } catch (ParseException e) {
            throw new InvalidAccessTokenException(MALFORMED);
        }
    }

    private static void checkHeader(Header header) throws InvalidAccessTokenException {
        if (header instanceof PlainHeader) {
            throw new InvalidAccessTokenException("access token uses alg none");
        }
        // Auth0 issues its opaque access tokens (no audience requested) as JWEs only Auth0 can read.
        if (header instanceof JWEHeader) {
            throw new InvalidAccessTokenException(OPAQUE);
        }
        JWSAlgorithm alg = ((JWSHeader) header).getAlgorithm();
        if (!ALLOWED_ALGORITHMS.contains(alg)) {
            throw new InvalidAccessTokenException(
                    "access token algorithm \"" + TokenRejectedException.echo(alg.getName()) + "\" is not allowed");
        }
    }
}
