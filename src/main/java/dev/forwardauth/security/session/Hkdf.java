package dev.forwardauth.security.session;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869), just the single-block case: one 32-byte key per purpose. Deriving instead of
 * using the secret directly gives each cookie kind its own key, so a value sealed for one purpose can
 * never be opened as another, whatever the cookie names say.
 */
final class Hkdf {

    static final int KEY_LENGTH = 32;
    private static final String HMAC = "HmacSHA256";

    private Hkdf() {
    }

    static byte[] deriveKey(byte[] inputKeyMaterial, byte[] salt, byte[] info) {
        try {
            byte[] pseudoRandomKey = hmac(salt, inputKeyMaterial);
            byte[] block = Arrays.copyOf(info, info.length + 1);
            block[info.length] = 1;
            byte[] okm = hmac(pseudoRandomKey, block);
            Arrays.fill(pseudoRandomKey, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java runtime.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(HMAC);
        mac.init(new SecretKeySpec(key, HMAC));
        return mac.doFinal(data);
    }
}
