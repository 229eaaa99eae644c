package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pac4j.core.exception.TechnicalException;
import org.pac4j.oidc.exceptions.OidcException;
import org.pac4j.oidc.exceptions.OidcTokenException;

class TokenEndpointErrorTest {

    @Test
    void readsTheCodeAndStatusOfPac4jsTokenErrorMessage() {
        assertEquals(Optional.of(new TokenEndpointError("invalid_client", 401)), TokenEndpointError.in(
                new OidcTokenException("Bad token response, error=invalid_client, description=null, status=401")));
    }

    @Test
    void aDescriptionWithCommasLineBreaksAndAStatusOfItsOwnChangesNothing() {
        OidcTokenException error = new OidcTokenException("Bad token response, error=invalid_grant, description=code"
                + " expired,\nstatus=500, description=x, status=400");

        assertEquals(Optional.of(new TokenEndpointError("invalid_grant", 400)), TokenEndpointError.in(error));
    }

    @Test
    void isFoundAmongTheCauses() {
        OidcTokenException refusal = new OidcTokenException(
                "Bad token response, error=unauthorized_client, description=null, status=400");

        assertEquals("unauthorized_client", TokenEndpointError.in(new TechnicalException(refusal)).orElseThrow().code());
    }

    @Test
    void aMissingOrUnprintableCodeIsNone() {
        assertEquals(null, TokenEndpointError.in(
                new OidcTokenException("Bad token response, error=null, description=null, status=400")).orElseThrow().code());
        assertEquals(null, TokenEndpointError.in(new OidcTokenException(
                "Bad token response, error=<script>\"x\", description=null, status=400")).orElseThrow().code());
        assertEquals(null, TokenEndpointError.in(new OidcTokenException("Bad token response, error="
                + "x".repeat(65) + ", description=null, status=400")).orElseThrow().code());
    }

    @Test
    void otherExceptionsAreNoTokenEndpointError() {
        assertTrue(TokenEndpointError.in(new OidcTokenException("something else, status=400")).isEmpty());
        assertTrue(TokenEndpointError.in(new OidcException(
                "Bad token response, error=invalid_grant, description=null, status=400")).isEmpty());
        assertTrue(TokenEndpointError.in(new IllegalStateException("no")).isEmpty());
    }

    @Test
    void fiveHundredsAndTooManyRequestsMeanUnavailable() {
        assertTrue(new TokenEndpointError("server_error", 500).unavailable());
        assertTrue(new TokenEndpointError(null, 503).unavailable());
        assertTrue(new TokenEndpointError("slow_down", 429).unavailable());
        assertFalse(new TokenEndpointError("invalid_grant", 400).unavailable());
        assertFalse(new TokenEndpointError("invalid_client", 401).unavailable());
    }
}
