package dev.forwardauth.security.machine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cache keys for client credentials: HMAC-SHA256 over the client id and secret, with a random key made per
 * instance (so per process) and never stored anywhere. A plain hash of a secret could be guessed offline
 * from a heap dump when the secret is weak; without the HMAC key it cannot, and the key dies with the process.
 */
final class CredentialKeys {
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Mac prototype;

    CredentialKeys() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        key = new SecretKeySpec(random, ALGORITHM);
        prototype = newMac();
    }

    /** base64url of the HMAC; the id's length goes first, so no other (id, secret) split gives the same input. */
    String keyOf(ClientCredentials credentials) {
        byte[] id = credentials.clientId().getBytes(StandardCharsets.UTF_8);
        Mac mac = fresh();
        mac.update(ByteBuffer.allocate(4).putInt(id.length).array());
        mac.update(id);
        mac.update(credentials.secret().getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    }

    // A Mac is not thread-safe; a clone of the initialised prototype is a fresh one without a provider lookup.
    private Mac fresh() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return newMac();
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
        }
    }
}
