package dev.forwardauth.security.token;

import static dev.forwardauth.security.token.TestTokens.AUDIENCE;
import static dev.forwardauth.security.token.TestTokens.ISSUER;
import static dev.forwardauth.security.token.TestTokens.sign;
import static dev.forwardauth.security.token.TestTokens.validClaims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every rule of SPEC 1 against tokens we sign ourselves and keys served by a local JWKS endpoint. */
class AccessTokenValidatorTest {
    private static final RSAKey RSA = TestTokens.rsaKey("rsa-1");
    private static final ECKey EC = TestTokens.ecKey("ec-1");
    private static final RSAKey ATTACKER = TestTokens.rsaKey("rsa-1");
    private static final RSAKey UNKNOWN = TestTokens.withKid(ATTACKER, "rsa-9");

    private final MutableClock clock = MutableClock.startingNow();
    private final Instant now = clock.instant();
    private JwksServer jwks;
    private final IdpCalls calls = new IdpCalls(HttpTimeouts.DEFAULT, 4);
    private JwksKeySource keys;
    private AccessTokenValidator validator;

    @BeforeEach
    void start() throws IOException {
        jwks = new JwksServer();
        jwks.publish(RSA, EC);
        keys = JwksKeySource.remote(jwks.uri(), calls, Duration.ofSeconds(30), clock);
        validator = new AccessTokenValidator(ISSUER, AUDIENCE, keys, Duration.ofSeconds(60), clock);
    }

    @AfterEach
    void stop() throws IOException {
        keys.close();
        calls.close();
        jwks.close();
    }

    @Test
    void validTokenGivesClaimsAsJson() throws Exception {
        ValidatedAccessToken token = validator.validate(sign(RSA, validClaims(now).build()));

        assertEquals("auth0|user-1", token.subject());
        assertEquals(List.of(AUDIENCE), token.audience());
        assertEquals("openid read:things write:things", token.scope());
        assertNull(token.scp());
        assertEquals(List.of("read:things", "delete:things"), token.permissions());
        assertEquals(now.plus(Duration.ofMinutes(10)).getEpochSecond(), token.expiresAt().getEpochSecond());
        assertEquals(now.getEpochSecond(), token.issuedAt().getEpochSecond());
        assertEquals(now.getEpochSecond(), token.claims().get("iat"));
        assertEquals(ISSUER, token.claims().get("iss"));
    }

    @Test
    void scpArrayAndAudienceArrayAreAccepted() throws Exception {
        JWTClaimsSet claims = validClaims(now).audience(List.of("https://other", AUDIENCE))
                .claim("scope", null).claim("scp", List.of("read:things", "write:things")).build();

        ValidatedAccessToken token = validator.validate(sign(RSA, claims));

        assertEquals(List.of("https://other", AUDIENCE), token.audience());
        assertEquals(List.of("read:things", "write:things"), token.scp());
        assertNull(token.scope());
    }

    @Test
    void acceptedTypesAndAlgorithms() throws Exception {
        JWTClaimsSet claims = validClaims(now).build();
        for (String type : new String[] {"JWT", "jwt", "at+jwt", "AT+JWT", "application/at+jwt", "application/jwt"}) {
            validator.validate(sign(RSA, new JOSEObjectType(type), claims));
        }
        validator.validate(sign(RSA, (JOSEObjectType) null, claims));
        validator.validate(sign(EC, claims));
        validator.validate(sign(RSA, new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(), claims));
        // No kid: every key of a suitable type is tried.
        validator.validate(sign(RSA, new JWSHeader.Builder(JWSAlgorithm.RS512).build(), claims));
    }

    @Test
    void wrongAudience() {
        assertRejected("access token audience does not include https://api.example.com",
                sign(RSA, validClaims(now).audience("https://other.example.com").build()));
        assertRejected("access token audience does not include https://api.example.com",
                sign(RSA, validClaims(now).audience((String) null).build()));
    }

    @Test
    void wrongIssuer() {
        assertRejected("access token issuer is not https://tenant.example.com/",
                sign(RSA, validClaims(now).issuer("https://evil.example.com/").build()));
        assertRejected("access token issuer is not https://tenant.example.com/",
                sign(RSA, validClaims(now).issuer("https://tenant.example.com").build()));
        assertRejected("access token issuer is not https://tenant.example.com/",
                sign(RSA, validClaims(now).issuer(null).build()));
    }

    @Test
    void expiryWithClockSkew() throws Exception {
        assertRejected("access token expired",
                sign(RSA, validClaims(now).expirationTime(Date.from(now.minusSeconds(61))).build()));
        assertRejected("access token expired",
                sign(RSA, validClaims(now).expirationTime(Date.from(now.minusSeconds(60))).build()));
        validator.validate(sign(RSA, validClaims(now).expirationTime(Date.from(now.minusSeconds(59))).build()));
        assertRejected("access token has no exp claim", sign(RSA, validClaims(now).expirationTime(null).build()));
    }

    @Test
    void notBeforeAndIssuedAtInTheFuture() throws Exception {
        assertRejected("access token is not valid yet (nbf)",
                sign(RSA, validClaims(now).notBeforeTime(Date.from(now.plusSeconds(61))).build()));
        validator.validate(sign(RSA, validClaims(now).notBeforeTime(Date.from(now.plusSeconds(60))).build()));
        assertRejected("access token was issued in the future (iat)",
                sign(RSA, validClaims(now).issueTime(Date.from(now.plusSeconds(61))).build()));
        validator.validate(sign(RSA, validClaims(now).issueTime(Date.from(now.plusSeconds(60))).build()));
    }

    @Test
    void algNone() {
        String unsigned = new PlainJWT(validClaims(now).build()).serialize();
        assertRejected("access token uses alg none", unsigned);
        // The same with a signature part glued on, which some libraries once ignored.
        assertRejected("access token uses alg none", unsigned + sign(RSA, validClaims(now).build()).split("\\.")[2]);
        String shouting = Base64URL.encode("{\"alg\":\"NONE\"}") + "." + unsigned.split("\\.")[1] + ".";
        assertRejected("access token algorithm \"NONE\" is not allowed", shouting);
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefused() throws Exception {
        // The classic key-confusion attack: the RSA public key is public, so "HS256 with it" is forgeable by all.
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                validClaims(now).build());
        forged.sign(new MACSigner(RSA.toRSAPublicKey().getEncoded()));
        assertRejected("access token algorithm \"HS256\" is not allowed", forged.serialize());
    }

    @Test
    void unexpectedType() {
        assertRejected("access token type \"foo\" is not JWT or at+jwt",
                sign(RSA, new JOSEObjectType("foo"), validClaims(now).build()));
        assertRejected("access token type \"id_token+jwt\" is not JWT or at+jwt",
                sign(RSA, new JOSEObjectType("id_token+jwt"), validClaims(now).build()));
        // Echoed header values are made printable and short.
        assertRejected("access token type \"a??b\" is not JWT or at+jwt",
                sign(RSA, new JOSEObjectType("a\r\nb"), validClaims(now).build()));
    }

    @Test
    void echoedHeaderValuesKeepAtMost40PrintableCharacters() {
        assertRejected("access token type \"" + "x".repeat(40) + "\" is not JWT or at+jwt",
                sign(RSA, new JOSEObjectType("x".repeat(40)), validClaims(now).build()));
        assertRejected("access token type \"" + "x".repeat(40) + "...\" is not JWT or at+jwt",
                sign(RSA, new JOSEObjectType("x".repeat(41)), validClaims(now).build()));
        assertRejected("access token type \" ~????\" is not JWT or at+jwt",
                sign(RSA, new JOSEObjectType(" ~\u007f\"\u001f\\"), validClaims(now).build()));
    }

    @Test
    void aTokenOfExactlyTheMaximumLengthIsReadNotRefusedForItsSize() {
        String longest = "x".repeat(AccessTokenShape.MAX_LENGTH - 4) + ".y.z";
        assertEquals(AccessTokenShape.MAX_LENGTH, longest.length());
        assertRejected("access token is malformed", longest);
        assertRejected("access token is too large", longest + "z");
    }

    @Test
    void opaqueAndEncryptedTokens() throws JOSEException {
        assertRejected(AccessTokenShape.OPAQUE, "yK3pQ8sV1rT5nZ0wX7aB2cD4eF6gH9iJ");
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM),
                validClaims(now).build());
        jwe.encrypt(new DirectEncrypter(new byte[32]));
        assertRejected(AccessTokenShape.OPAQUE, jwe.serialize());
    }

    @Test
    void garbage() {
        assertRejected("access token is missing", null);
        assertRejected("access token is missing", " ");
        assertRejected(AccessTokenShape.OPAQUE, "not a token at all");
        assertRejected("access token is malformed", "x.y.z");
        assertRejected("access token is malformed", "...");
        String header = Base64URL.encode("{\"alg\":\"RS256\"}").toString();
        assertRejected("access token is malformed", header + "." + Base64URL.encode("[1,2]") + ".c2ln");
        assertRejected("access token is malformed", header + "." + Base64URL.encode("{\"exp\":\"soon\"}") + ".c2ln");
        assertRejected("access token is too large", "a.b.c" + "x".repeat(AccessTokenShape.MAX_LENGTH));
    }

    @Test
    void signatureByAnotherKeyWithTheSameKid() {
        assertRejected("access token signature is invalid", sign(ATTACKER, validClaims(now).build()));
        String token = sign(RSA, validClaims(now).build());
        String[] parts = token.split("\\.");
        String otherPayload = Base64URL.encode(validClaims(now).subject("admin").build().toString()).toString();
        assertRejected("access token signature is invalid", parts[0] + "." + otherPayload + "." + parts[2]);
    }

    @Test
    void keysEmbeddedInTheHeaderAreIgnored() {
        // jwk/jku in the header would let the token name its own verification key; only the IdP's JWKS counts.
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-9").jwk(UNKNOWN.toPublicJWK())
                .jwkURL(URI.create("https://evil.example.com/jwks")).build();
        assertRejected("access token signed with unknown key", sign(UNKNOWN, header, validClaims(now).build()));
    }

    @Test
    void unknownKey() {
        assertRejected("access token signed with unknown key", sign(UNKNOWN, validClaims(now).build()));
    }

    @Test
    void claimsAreCheckedOnlyAfterTheSignature() {
        // An expired forgery is reported as a forgery: no oracle about claims for someone without the key.
        assertRejected("access token signature is invalid",
                sign(ATTACKER, validClaims(now).expirationTime(Date.from(now.minusSeconds(3600))).build()));
    }

    @Test
    void resultIsImmutable() throws Exception {
        ValidatedAccessToken token = validator.validate(sign(RSA, validClaims(now).build()));
        assertThrows(UnsupportedOperationException.class, () -> token.claims().put("x", 1));
        @SuppressWarnings("unchecked")
        List<Object> permissions = (List<Object>) token.permissions();
        assertThrows(UnsupportedOperationException.class, () -> permissions.add("admin"));
        assertThrows(UnsupportedOperationException.class, () -> token.audience().add("x"));
    }

    @Test
    void constructorRefusesMissingAudienceAndHugeSkew() {
        assertThrows(IllegalArgumentException.class, () -> new AccessTokenValidator(ISSUER, " ", keys));
        assertThrows(IllegalArgumentException.class, () -> new AccessTokenValidator(null, AUDIENCE, keys));
        assertThrows(IllegalArgumentException.class,
                () -> new AccessTokenValidator(ISSUER, AUDIENCE, keys, Duration.ofHours(1), clock));
        assertThrows(IllegalArgumentException.class,
                () -> new AccessTokenValidator(ISSUER, AUDIENCE, keys, Duration.ofMinutes(5).plusMillis(1), clock));
        assertThrows(IllegalArgumentException.class,
                () -> new AccessTokenValidator(ISSUER, AUDIENCE, keys, Duration.ofSeconds(-1), clock));
    }

    @Test
    void aSkewOfUpToFiveMinutesIsAllowed() throws Exception {
        AccessTokenValidator lenient = new AccessTokenValidator(ISSUER, AUDIENCE, keys, Duration.ofMinutes(5), clock);
        String expiredFourMinutesAgo = sign(RSA, validClaims(now).expirationTime(Date.from(now.minusSeconds(240))).build());
        assertEquals("auth0|user-1", lenient.validate(expiredFourMinutesAgo).subject());
        AccessTokenValidator strict = new AccessTokenValidator(ISSUER, AUDIENCE, keys, Duration.ZERO, clock);
        assertEquals("access token expired", assertThrows(InvalidAccessTokenException.class,
                () -> strict.validate(expiredFourMinutesAgo)).getMessage());
    }

    @Test
    void nestedClaimsAreImmutableToo() throws Exception {
        ValidatedAccessToken token = validator.validate(sign(RSA, validClaims(now)
                .claim("address", java.util.Map.of("country", "NO")).build()));
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> address = (java.util.Map<String, Object>) token.claims().get("address");
        assertEquals("NO", address.get("country"));
        assertThrows(UnsupportedOperationException.class, () -> address.put("country", "SE"));
    }

    private void assertRejected(String message, String token) {
        InvalidAccessTokenException e =
                assertThrows(InvalidAccessTokenException.class, () -> validator.validate(token));
        assertEquals(message, e.getMessage());
    }
}
