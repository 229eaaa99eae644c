package dev.forwardauth.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptHeaderTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // What browsers send for a navigation
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8 | true",
        "text/html, */*                          | true",
        "application/json, text/html;q=0.1       | true",
        // Media types are case-insensitive
        "TEXT/HTML                               | true",
        "Text/Html;Q=0.5                         | true",
        "' text/html ; charset=utf-8 '           | true",
        // q=0 means "not acceptable"
        "text/html;q=0                           | false",
        "text/html; q=0.000, application/json    | false",
        "text/html;q=0.001                       | true",
        // Other types, and what API clients send
        "text/htmlx                              | false",
        "text/html-fragment                      | false",
        "application/json                        | false",
        "*/*                                     | false",
        "text/*                                  | false",
        "''                                      | false",
        "','                                     | false",
    })
    void aBrowserNavigationIsTextHtmlWithAWeightAboveZero(String accept, boolean html) {
        assertEquals(html, AcceptHeader.asksForHtml(accept), accept);
    }

    @Test
    void noAcceptHeaderIsNotABrowser() {
        assertEquals(false, AcceptHeader.asksForHtml(null));
    }
}
