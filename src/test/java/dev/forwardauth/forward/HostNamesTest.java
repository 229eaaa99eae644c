package dev.forwardauth.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Host syntax that selects an app: what passes keeps only its lower-case name, anything else is null. */
class HostNamesTest {

    @ParameterizedTest
    @CsvSource({
        "azAZ09-_.example,          azaz09-_.example",
        "app.example.com:1,         app.example.com",
        "app.example.com:65535,     app.example.com",
        "app.example.com:9090,      app.example.com",
        "[::1],                     [::1]",
        "[09af:AF::1]:443,          [09af:af::1]",
        "'[0000:0000:0000:0000:0000:ffff:255.255.255.255]', '[0000:0000:0000:0000:0000:ffff:255.255.255.255]'",
    })
    void aValidHostKeepsItsLowerCaseNameWithoutPort(String host, String name) {
        assertEquals(name, HostNames.hostName(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        ":8080",                // no name before the port
        ".",                    // only the trailing dot
        "app.example.com..",    // an empty label at the end
        "app.example.com:",     // an empty port
        "app.example.com:0",
        "app.example.com:65536",
        "app.example.com:000080",
        "app.example.com:8a",
        "app.example.com:x",
        "app.example.com:+80",
        "[]",
        "[::1]x",
        "[::1]:",
        "[::g]",
        "[1234]",               // no colon: not an IPv6 literal
        "[::1%eth0]",
        "app!.example.com",
    })
    void anythingElseIsNoHost(String host) {
        assertNull(HostNames.hostName(host));
    }

    @ParameterizedTest
    @CsvSource({"63, true", "64, false"})
    void aLabelHasAtMost63Characters(int length, boolean valid) {
        String host = "a".repeat(length) + ".example.com";
        assertEquals(valid ? host : null, HostNames.hostName(host));
    }

    @ParameterizedTest
    @CsvSource({"255, true", "256, false"})
    void aHostHasAtMost255Characters(int length, boolean valid) {
        String host = labels(length);
        assertEquals(valid ? host : null, HostNames.hostName(host));
    }

    @ParameterizedTest
    @CsvSource({"45, true", "46, false"})
    void anIpv6LiteralHasAtMost45Characters(int length, boolean valid) {
        String literal = "[" + "1:".repeat(length / 2) + (length % 2 == 1 ? "1" : "") + "]";
        assertEquals(length + 2, literal.length());
        assertEquals(valid ? literal : null, HostNames.hostName(literal));
    }

    /** A DNS name of exactly {@code length} characters, in labels of 9 letters. */
    private static String labels(int length) {
        StringBuilder name = new StringBuilder();
        while (name.length() < length) {
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append("a".repeat(Math.min(9, length - name.length())));
        }
        String host = name.toString();
        assertEquals(length, host.length());
        return host;
    }
}
