package dev.forwardauth.config;

import static dev.forwardauth.config.TestConfigs.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final String CLIENT_SECRET = "very-secret-client-value";

    private static final ForwardAuthConfig CONFIG = valid()
            .with("apps[0].client-secret", CLIENT_SECRET)
            .with("default", TestConfigs.defaults())
            .with("default.client-secret", CLIENT_SECRET)
            .load();

    @Test
    void resolvedConfigToStringHidesSecrets() {
        assertHidden(CONFIG.toString());
        assertHidden(CONFIG.apps().get(0).toString());
        assertHidden(CONFIG.defaultApp().orElseThrow().toString());
    }

    @Test
    void printedConfigSaysWhetherASecretIsSetAndNothingMore() {
        assertTrue(CONFIG.toString().contains("sessionSecret=(hidden)"), CONFIG.toString());
        assertTrue(CONFIG.apps().get(0).toString().contains("clientSecret=(hidden)"), CONFIG.apps().get(0).toString());
        ForwardAuthConfig publicClient = valid().without("apps[0].client-secret").load();
        assertTrue(publicClient.apps().get(0).toString().contains("clientSecret=null"), publicClient.toString());
        assertTrue(CONFIG.toString().startsWith("ForwardAuthConfig[domain=https://tenant.eu.auth0.com/,"), CONFIG.toString());
    }

    @Test
    void rawRecordsToStringHideSecrets() {
        AppSettings app = new AppSettings("a", "id", CLIENT_SECRET, null, null, null, null, null, null, null, null,
                null, null, null);
        ConfigFile file = new ConfigFile("https://x/", null, null, null, null, null, null, null, null, null, null,
                TestConfigs.SECRET, null, null, app, List.of(app), null, null);
        assertHidden(app.toString());
        assertHidden(file.toString());
        assertTrue(app.toString().contains("(hidden)"), app.toString());
        assertTrue(file.toString().contains("(hidden)"), file.toString());
    }

    @Test
    void shortSessionSecretMessageShowsOnlyItsLength() {
        String shortSecret = "not-long-enough-secret";
        List<String> problems = valid().with("session-secret", shortSecret).problems();
        assertEquals(List.of("session-secret: must be at least 32 characters, got 22"), problems);
    }

    @Test
    void emptyClientSecretMessageShowsNothingOfIt() {
        valid().with("apps[0].client-secret", "").assertProblems(
                "apps[0].client-secret: must not be empty (leave it out for a public client)");
    }

    @Test
    void problemsOfAFileWithSecretsNeverContainThem() {
        ConfigException e = assertThrows(ConfigException.class, () -> valid()
                .with("apps[0].client-secret", CLIENT_SECRET)
                .with("session-secret", TestConfigs.SECRET)
                .with("apps[0].audience", null)
                .with("apps[0].clientsecret", CLIENT_SECRET)
                .load());
        assertHidden(e.getMessage());
        e.problems().forEach(SecretsTest::assertHidden);
    }

    private static void assertHidden(String text) {
        assertFalse(text.contains(CLIENT_SECRET), () -> "client secret in: " + text);
        assertFalse(text.contains(TestConfigs.SECRET), () -> "session secret in: " + text);
    }
}
