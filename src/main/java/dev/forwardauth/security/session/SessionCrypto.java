package dev.forwardauth.security.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals cookie values with AES-256-GCM under a key derived for one purpose. Format:
 * {@code v1.} + base64url(nonce(12) || ciphertext || tag(16)), no padding. The cookie name is the
 * associated data, so a value cannot be moved to another cookie name (a pending login replayed as a
 * session, a chunk moved to another position) without failing authentication.
 *
 * <p>{@link #open} answers "nothing" for any value it did not make itself, without saying why: a cookie is
 * attacker-controlled input and the only safe reading of a bad one is "no session".
 */
final class SessionCrypto {

    static final String VERSION_PREFIX = "v1.";
    // Browsers keep at most ~4 KB per cookie; two chunks of a session are the most we ever write. Anything
    // longer is rejected before any decoding work.
    static final int MAX_SEALED_LENGTH = 8192;

    private static final byte[] SALT = "forwardauth session-secret salt".getBytes(StandardCharsets.UTF_8);
    private static final String SESSION_INFO = "forwardauth v1 session cookie";
    private static final String PENDING_LOGIN_INFO = "forwardauth v1 pending-login cookie";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int MIN_SEALED_BYTES = NONCE_LENGTH + TAG_BITS / 8;
    // Cipher objects are not thread-safe but cost more to create than to re-initialise (the provider
    // lookup and first init dominate a seal); a small pool keeps them without ThreadLocals, which outlive
    // a redeployed webapp.
    private static final int POOL_SIZE = 16;

    private final SecretKeySpec key;
    private final SecureRandom random;
    private final BlockingQueue<Cipher> ciphers = new ArrayBlockingQueue<>(POOL_SIZE);

    private SessionCrypto(byte[] keyBytes, SecureRandom random) {
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.random = random;
        Arrays.fill(keyBytes, (byte) 0);
    }

    static SessionCrypto forSessions(String secret, SecureRandom random) {
        return derive(secret, SESSION_INFO, random);
    }

    static SessionCrypto forPendingLogins(String secret, SecureRandom random) {
        return derive(secret, PENDING_LOGIN_INFO, random);
    }

    private static SessionCrypto derive(String secret, String info, SecureRandom random) {
        byte[] material = secret.getBytes(StandardCharsets.UTF_8);
        byte[] derived = Hkdf.deriveKey(material, SALT, info.getBytes(StandardCharsets.UTF_8));
        Arrays.fill(material, (byte) 0);
        return new SessionCrypto(derived, random);
    }

    /** The length of the value {@link #seal} makes of {@code plaintextLength} bytes, to check before sealing. */
    static int sealedLength(int plaintextLength) {
        int sealedBytes = NONCE_LENGTH + plaintextLength + TAG_BITS / 8;
        // base64 without padding: 4 characters per 3 bytes, 2 or 3 for a last group of 1 or 2.
        return VERSION_PREFIX.length() + (sealedBytes * 4 + 2) / 3;
    }

    String seal(String cookieName, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] sealed = Arrays.copyOf(nonce, NONCE_LENGTH + plaintext.length + TAG_BITS / 8);
        try {
            Cipher cipher = borrow();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(cookieName.getBytes(StandardCharsets.UTF_8));
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_LENGTH);
            ciphers.offer(cipher);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
        String value = VERSION_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
        if (value.length() > MAX_SEALED_LENGTH) {
            throw new IllegalArgumentException("sealed cookie value too large: " + value.length() + " characters");
        }
        return value;
    }

    Optional<byte[]> open(String cookieName, String value) {
        if (value == null || value.length() > MAX_SEALED_LENGTH || !value.startsWith(VERSION_PREFIX)) {
            return Optional.empty();
        }
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(value.substring(VERSION_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (sealed.length < MIN_SEALED_BYTES) {
            return Optional.empty();
        }
        try {
            Cipher cipher = borrow();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_LENGTH));
            cipher.updateAAD(cookieName.getBytes(StandardCharsets.UTF_8));
            byte[] plaintext = cipher.doFinal(sealed, NONCE_LENGTH, sealed.length - NONCE_LENGTH);
            ciphers.offer(cipher);
            return Optional.of(plaintext);
        } catch (GeneralSecurityException e) {
            // Wrong key, altered byte, cut value, moved cookie: all the same to the caller. A cipher that
            // failed is dropped rather than returned to the pool.
            return Optional.empty();
        }
    }

    private Cipher borrow() throws GeneralSecurityException {
        Cipher cipher = ciphers.poll();
        return cipher != null ? cipher : Cipher.getInstance(TRANSFORMATION);
    }
}
