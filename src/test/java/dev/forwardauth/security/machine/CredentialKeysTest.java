package dev.forwardauth.security.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Cache keys that identify a pair without revealing or letting anyone recompute its secret. */
class CredentialKeysTest {
    private final CredentialKeys keys = new CredentialKeys();

    @Test
    void samePairSameKey() {
        assertEquals(keys.keyOf(new ClientCredentials("ci-bot", "secret-1")),
                keys.keyOf(new ClientCredentials("ci-bot", "secret-1")));
    }

    @Test
    void anotherSecretOrAnotherSplitIsAnotherKey() {
        String key = keys.keyOf(new ClientCredentials("ab", "c"));

        assertNotEquals(key, keys.keyOf(new ClientCredentials("ab", "d")));
        assertNotEquals(key, keys.keyOf(new ClientCredentials("a", "bc")));
    }

    @Test
    void keyContainsNeitherTheSecretNorAPlainHashOfIt() throws Exception {
        String secret = "correct-horse-battery-staple";
        String key = keys.keyOf(new ClientCredentials("ci-bot", secret));
        byte[] plainHash = MessageDigest.getInstance("SHA-256")
                .digest(("ci-bot:" + secret).getBytes(StandardCharsets.UTF_8));

        assertFalse(key.contains(secret), key);
        assertFalse(key.contains(Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(StandardCharsets.UTF_8))));
        assertNotEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(plainHash), key);
    }

    @Test
    void everyProcessHasItsOwnKeySoAKeyCannotBeRecomputedElsewhere() {
        ClientCredentials pair = new ClientCredentials("ci-bot", "secret-1");

        assertNotEquals(keys.keyOf(pair), new CredentialKeys().keyOf(pair));
    }
}
