package dev.forwardauth.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forwardauth.config.Cidr;
import dev.forwardauth.config.ForwardAuthConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrustedProxiesTest {
    private final TrustedProxies defaults = new TrustedProxies(ForwardAuthConfig.DEFAULT_TRUSTED_PROXIES);

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, true", "10.1.2.3, true", "172.16.0.9, true", "172.32.0.1, false", "192.168.1.1, true",
        "8.8.8.8, false", "::1, true", "[::1], true", "0:0:0:0:0:0:0:1, true", "fd00::1, true",
        "2001:db8::1, false", "::ffff:10.0.0.1, true", "fe80::1%eth0, false", "localhost, false",
        "'', false", "10.0.0.256, false"})
    void defaultRangesAreLoopbackAndPrivateNetworks(String peer, boolean trusted) {
        assertEquals(trusted, defaults.trusts(peer));
    }

    @ParameterizedTest
    @CsvSource({"203.0.113.7, true", "203.0.113.8, false", "127.0.0.1, false"})
    void configuredRangesReplaceTheDefaults(String peer, boolean trusted) {
        TrustedProxies proxies = new TrustedProxies(List.of(Cidr.parse("203.0.113.7/32")));
        assertEquals(trusted, proxies.trusts(peer));
    }
}
