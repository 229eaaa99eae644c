package dev.forwardauth.hostile;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JWT as a test wants it, right or wrong: any claims (or none), any header {@code typ} and {@code kid},
 * and signed with a real key, with another key, with HMAC over any secret, not at all ({@code alg: none}),
 * or with its signature bytes altered afterwards. Nimbus does the encoding and the crypto.
 */
final class ForgedJwt {
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private RSAKey key;
    private String kid;
    private String type;
    private byte[] hmacSecret;
    private boolean unsigned;
    private boolean corruptSignature;

    /** Signed with RS256 by {@code key}, its kid in the header, typ {@code type} (null: none). */
    ForgedJwt(RSAKey key, String type) {
        this.key = key;
        this.kid = key.getKeyID();
        this.type = type;
    }

    /** A claim; {@code null} removes it. */
    ForgedJwt claim(String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return this;
    }

    /** A time claim (exp, iat, nbf) this far from now, in whole seconds as JWTs carry them. */
    ForgedJwt time(String name, Duration fromNow) {
        return claim(name, Instant.now().plus(fromNow).getEpochSecond());
    }

    /** The RSA key this token is (or would be) signed with. */
    RSAKey key() {
        return key;
    }

    /** RS256 with this key, and its kid in the header. */
    ForgedJwt signedWith(RSAKey signingKey) {
        this.key = signingKey;
        this.kid = signingKey.getKeyID();
        return this;
    }

    /** The header's kid, whatever key signs; null leaves it out. */
    ForgedJwt kid(String keyId) {
        this.kid = keyId;
        return this;
    }

    ForgedJwt type(String headerType) {
        this.type = headerType;
        return this;
    }

    /** HS256 with {@code secret} as the MAC key (the kid stays as it was). */
    ForgedJwt hmac(byte[] secret) {
        this.hmacSecret = secret.clone();
        return this;
    }

    /** {@code alg: none}, no signature. */
    ForgedJwt unsigned() {
        this.unsigned = true;
        return this;
    }

    /** Signed as configured, then one bit of the signature flipped. */
    ForgedJwt corruptSignature() {
        this.corruptSignature = true;
        return this;
    }

    String serialize() {
        try {
            JWTClaimsSet claimsSet = JWTClaimsSet.parse(claims);
            JOSEObjectType typ = type == null ? null : new JOSEObjectType(type);
            if (unsigned) {
                return new PlainJWT(new PlainHeader.Builder().type(typ).build(), claimsSet).serialize();
            }
            JWSAlgorithm alg = hmacSecret != null ? JWSAlgorithm.HS256 : JWSAlgorithm.RS256;
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(typ).build(), claimsSet);
            jwt.sign(hmacSecret != null ? new MACSigner(hmacSecret) : new RSASSASigner(key));
            if (!corruptSignature) {
                return jwt.serialize();
            }
            byte[] signature = jwt.getSignature().decode();
            signature[signature.length / 2] ^= 0x01;
            return jwt.getHeader().toBase64URL() + "." + jwt.getPayload().toBase64URL() + "."
                    + Base64URL.encode(signature);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot build the test token", e);
        }
    }
}
