package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pac4j.core.exception.TechnicalException;
import org.pac4j.oidc.exceptions.OidcTokenException;

/** What a user and the operator read when the token endpoint refuses a login's code exchange. */
class LoginErrorsTest {

    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @CsvSource(delimiter = '|', value = {
        "invalid_grant       | 400 | the identity provider refused to exchange the authorization code (it may have been used already)",
        "invalid_client      | 401 | the identity provider refused forwardauth's client-id or client-secret (invalid_client); check the configuration",
        "unauthorized_client | 400 | the identity provider refused forwardauth's client-id or client-secret (unauthorized_client); check the configuration",
        "access_denied       | 401 | the identity provider refused forwardauth's client-id or client-secret (access_denied); check the configuration",
        "null                | 401 | the identity provider refused forwardauth's client-id or client-secret (HTTP status 401); check the configuration",
        "access_denied       | 400 | the identity provider refused to exchange the authorization code: access_denied",
        "invalid_request     | 400 | the identity provider refused to exchange the authorization code: invalid_request",
        "null                | 400 | the identity provider refused to exchange the authorization code (HTTP status 400, no readable error code)",
    })
    void aTokenEndpointRefusalIsToldByItsOAuthErrorCode(String code, int status, String message) {
        LoginErrors.Failure failure = LoginErrors.describe(refusal(code, "whatever the IdP says", status));

        assertEquals(401, failure.status());
        assertEquals(message, failure.message());
    }

    @Test
    void aRefusalFoundBehindAnotherExceptionIsToldTheSameWay() {
        LoginErrors.Failure failure = LoginErrors.describe(new TechnicalException(refusal("invalid_client", null, 401)));

        assertEquals("the identity provider refused forwardauth's client-id or client-secret (invalid_client);"
                + " check the configuration", failure.message());
    }

    @Test
    void theIdpsDescriptionIsNeverShown() {
        // Free text from the IdP: it could quote what it was sent. The secret here stands for anything such.
        LoginErrors.Failure failure = LoginErrors.describe(
                refusal("invalid_client", "client_secret s3cr3t-value does not match", 401));

        assertFalse(failure.message().contains("s3cr3t-value"), failure.message());
    }

    @Test
    void anErrorCodeThatIsNotPrintableAsciiIsNotShown() {
        LoginErrors.Failure failure = LoginErrors.describe(refusal("bad\"code\nwith a line break", null, 400));

        assertEquals("the identity provider refused to exchange the authorization code (HTTP status 400, no readable"
                + " error code)", failure.message());
    }

    @Test
    void aTokenEndpointThatFailsOrIsOverloadedIsUnavailableNotARefusal() {
        assertEquals(503, LoginErrors.describe(refusal("server_error", null, 500)).status());
        assertEquals(503, LoginErrors.describe(refusal("slow_down", null, 429)).status());
    }

    /** What pac4j 6.2's OidcAuthenticator throws for a token error response. */
    private static OidcTokenException refusal(String code, String description, int status) {
        return new OidcTokenException("Bad token response, error=" + code + ", description=" + description
                + ", status=" + status);
    }
}
