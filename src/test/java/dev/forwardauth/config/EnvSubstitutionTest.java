package dev.forwardauth.config;

import static dev.forwardauth.config.TestConfigs.list;
import static dev.forwardauth.config.TestConfigs.object;
import static dev.forwardauth.config.TestConfigs.valid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvSubstitutionTest {

    @Test
    void setVariableIsSubstituted() {
        AppConfig app = valid().with("apps[0].client-secret", "${CLIENT_SECRET}").env("CLIENT_SECRET", "from-env")
                .load().apps().get(0);
        assertEquals("from-env", app.clientSecret());
    }

    @Test
    void severalVariablesInOneString() {
        ForwardAuthConfig config = valid().with("domain", "https://${TENANT}.${REGION}.auth0.com/")
                .env("TENANT", "acme").env("REGION", "eu").load();
        assertEquals("https://acme.eu.auth0.com/", config.domain().toString());
    }

    @Test
    void unsetVariableIsAProblemNamingIt() {
        valid().with("apps[0].client-secret", "${CLIENT_SECRET}").assertProblems(
                "apps[0].client-secret: environment variable CLIENT_SECRET is not set");
    }

    @Test
    void severalUnsetVariablesInOneStringAreOneProblem() {
        valid().with("domain", "https://${TENANT}.${REGION}.auth0.com/${TENANT}").env("REGION", "eu").assertProblems(
                "domain: environment variable TENANT is not set");
        valid().with("domain", "https://${TENANT}.${REGION}.auth0.com/").assertProblems(
                "domain: environment variables TENANT, REGION are not set");
    }

    @Test
    void emptyVariableIsSetButEmpty() {
        valid().with("apps[0].client-id", "${CLIENT_ID}").env("CLIENT_ID", "").assertProblems(
                "apps[0].client-id: must not be empty");
    }

    @Test
    void variablesWorkInListsAndRules() {
        AppConfig app = valid()
                .with("apps[0].required-scopes", list("${SCOPE}"))
                .with("apps[0].rules", list(object("path", "/${PREFIX}/**")))
                .env("SCOPE", "read:site").env("PREFIX", "admin")
                .load().apps().get(0);
        assertEquals(List.of("read:site"), app.requiredScopes());
        assertEquals("/admin/**", app.rules().get(0).path());
    }

    @Test
    void substitutedTextIsNotScannedAgain() {
        AppConfig app = valid().with("apps[0].client-secret", "${CLIENT_SECRET}").env("CLIENT_SECRET", "a${OTHER}b")
                .load().apps().get(0);
        assertEquals("a${OTHER}b", app.clientSecret());
    }

    @Test
    void dollarWithoutBracesStaysLiteral() {
        AppConfig app = valid().with("apps[0].client-secret", "$HOME-$${-${unclosed").load().apps().get(0);
        assertEquals("$HOME-$${-${unclosed", app.clientSecret());
    }

    @ParameterizedTest
    @ValueSource(strings = {"${CLIENT_SECRET:fallback}", "${1X}", "${}", "${A-B}", "x${ A }"})
    void braceReferenceThatIsNotANameIsAProblem(String text) {
        valid().with("apps[0].client-secret", text).env("CLIENT_SECRET", "s").assertProblems(
                "apps[0].client-secret: has a \"${...}\" that is not an environment variable reference:"
                        + " write ${NAME}, NAME of letters, digits and _ (default values are not supported)");
    }

    @Test
    void keysAreNeverSubstituted() {
        valid().with("${KEY}", "x").env("KEY", "domain").assertProblems(
                "${KEY}: unknown key (allowed: domain, authorize-url, token-endpoint, userinfo-endpoint,"
                        + " logout-endpoint, jwks-uri, idp-connect-timeout, idp-read-timeout,"
                        + " idp-max-concurrent-calls, nonce-max-age, trusted-proxies, session-secret,"
                        + " session-max-age, status-permission, default, apps, metrics, decision-log)");
    }

    @Test
    void loadTakesTheEnvironmentItIsGiven(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"),
                valid().with("session-secret", "${SESSION_SECRET}").json());
        String secret = "0123456789abcdef0123456789abcdef";
        assertEquals(secret, ConfigLoader.load(file, Map.of("SESSION_SECRET", secret)).sessionSecret());
    }
}
