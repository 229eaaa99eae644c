package dev.forwardauth.security.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading {@code Authorization: Basic} as RFC 7617 says, and refusing what cannot be a client of the IdP. */
class ClientCredentialsTest {
    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsAtTheFirstColonSoSecretsMayContainColons() {
        ClientCredentials credentials = ClientCredentials.fromBasicHeader(basic("ci-bot:s3:cr:et")).orElseThrow();

        assertEquals("ci-bot", credentials.clientId());
        assertEquals("s3:cr:et", credentials.secret());
    }

    @Test
    void schemeIsCaseInsensitiveAndTextIsUtf8() {
        ClientCredentials credentials = ClientCredentials.fromBasicHeader(
                "basic " + Base64.getEncoder().encodeToString("bot:gr\u00fc\u00dfe".getBytes(StandardCharsets.UTF_8)))
                .orElseThrow();

        assertEquals("gr\u00fc\u00dfe", credentials.secret());
    }

    @Test
    void malformedOrIncompleteCredentialsAreNone() {
        assertEquals(Optional.empty(), ClientCredentials.fromBasicHeader("Basic not-base64!"));
        assertEquals(Optional.empty(), ClientCredentials.fromBasicHeader(basic("no-colon")));
        assertEquals(Optional.empty(), ClientCredentials.fromBasicHeader(basic(":secret-without-id")));
        assertEquals(Optional.empty(), ClientCredentials.fromBasicHeader(basic("id-without-secret:")));
        assertEquals(Optional.empty(), ClientCredentials.fromBasicHeader("Bearer abc.def.ghi"));
        assertEquals(Optional.empty(), ClientCredentials.fromBasicHeader(null));
    }

    @Test
    void basicSchemeIsRecognisedEvenWhenMalformed() {
        assertTrue(ClientCredentials.isBasic("Basic !!!"));
        assertTrue(ClientCredentials.isBasic("BASIC abc"));
        assertFalse(ClientCredentials.isBasic("Bearer abc"));
        assertFalse(ClientCredentials.isBasic("Basicabc"));
        assertFalse(ClientCredentials.isBasic(null));
    }

    @Test
    void textFormNeverShowsTheSecret() {
        String text = new ClientCredentials("ci-bot", "hunter2-secret").toString();

        assertTrue(text.contains("ci-bot"), text);
        assertFalse(text.contains("hunter2"), text);
    }
}
