package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorPageServletTest {

    @ParameterizedTest(name = "container status {0} -> {1} {2}")
    @CsvSource({
        "400, 400, Bad request",
        "403, 403, Forbidden",
        "404, 404, Not found",
        "405, 405, Method not allowed",
        "413, 413, Request refused",
        "431, 431, Request refused",
        "500, 500, Internal error",
        "503, 503, Internal error",
        "200, 500, Internal error",
        "302, 500, Internal error",
        "0, 500, Internal error",
    })
    void theContainersStatusBecomesOurPageAndNeverASuccess(int container, int status, String title) {
        Outcome.Refused page = assertInstanceOf(Outcome.Refused.class, ErrorPageServlet.outcomeFor(container));

        assertEquals(status, page.status());
        assertEquals(title, page.title());
    }
}
