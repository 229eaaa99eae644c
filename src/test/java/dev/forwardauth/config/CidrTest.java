package dev.forwardauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8,                     10.0.0.0/8",
        "0.0.0.0/0,                      0.0.0.0/0",
        "192.0.2.7,                      192.0.2.7/32",
        "::1/128,                        ::1/128",
        "::1,                            ::1/128",
        "::/0,                           ::/0",
        "FC00::/7,                       fc00::/7",
        "2001:0db8:0000:0000::/32,       2001:db8::/32",
        "2001:db8:0:0:1:0:0:0/128,       2001:db8:0:0:1::/128",
        "1:0:0:2:0:0:0:3/128,            1:0:0:2::3/128",
        "::ffff:10.0.0.0/104,            10.0.0.0/8",
        "64:ff9b::192.0.2.0/120,         64:ff9b::c000:200/120"})
    void parsesAndPrintsTheCanonicalForm(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "10.0.0/8", "10.0.0.0.0/8", "256.0.0.0/8", "010.0.0.0/8", "10.0.0.0/x",
        "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/0008", "1:2:3:4:5:6:7:8:9/64", "1::2::3/64", ":1/128", "1:/128",
        "12345::/16", "fe80::1%eth0/64", "1.2.3.4::/64", "[::1]/128", "localhost", "", "/8"})
    void rejectsWhatIsNotALiteralRange(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertEquals("must be an IP address or a CIDR range like 10.0.0.0/8 or fc00::/7, got \"" + text + "\"",
                e.getMessage());
    }

    @Test
    void rejectsPrefixesOutOfRange() {
        assertEquals("prefix length must be 0 to 32 for an IPv4 address, got \"10.0.0.0/33\"",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33")).getMessage());
        assertEquals("prefix length must be 0 to 128 for an IPv6 address, got \"::1/129\"",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::1/129")).getMessage());
    }

    @Test
    void rejectsHostBitsAfterThePrefixSuggestingTheNetwork() {
        assertEquals("has bits set after the /12 prefix (did you mean 172.16.0.0/12?), got \"172.17.0.1/12\"",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("172.17.0.1/12")).getMessage());
        assertEquals("has bits set after the /7 prefix (did you mean fc00::/7?), got \"fd00::/7\"",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse("fd00::/7")).getMessage());
    }

    @Test
    void containsChecksThePrefixBitByBit() throws Exception {
        Cidr range = Cidr.parse("172.16.0.0/12");
        assertTrue(range.contains(InetAddress.getByName("172.16.0.1")));
        assertTrue(range.contains(InetAddress.getByName("172.31.255.255")));
        assertFalse(range.contains(InetAddress.getByName("172.32.0.0")));
        assertFalse(range.contains(InetAddress.getByName("172.15.255.255")));
        assertFalse(range.contains(InetAddress.getByName("::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")));
    }

    @Test
    void containsWorksForIpv6() throws Exception {
        Cidr range = Cidr.parse("fc00::/7");
        assertTrue(range.contains(InetAddress.getByName("fd12:3456::1")));
        assertFalse(range.contains(InetAddress.getByName("fe80::1")));
        assertFalse(range.contains(InetAddress.getByName("10.0.0.1")));
        assertTrue(Cidr.parse("::1/128").contains(InetAddress.getByName("::1")));
    }

    @Test
    void ipv4MappedPeerMatchesAnIpv4Range() {
        byte[] mapped = IpLiterals.parse("::ffff:10.1.2.3");
        assertEquals(16, mapped.length);
        assertTrue(Cidr.parse("10.0.0.0/8").contains(mapped));
        assertFalse(Cidr.parse("192.168.0.0/16").contains(mapped));
    }

    @Test
    void networkIsACopy() {
        Cidr range = Cidr.parse("10.0.0.0/8");
        range.network()[0] = 99;
        assertEquals("10.0.0.0/8", range.toString());
        assertEquals(Cidr.parse("10.0.0.0/8"), range);
        assertEquals(Cidr.parse("10.0.0.0/8").hashCode(), range.hashCode());
    }

    @ParameterizedTest
    @CsvSource({
        "255.255.255.255,                 255.255.255.255/32",
        "a:f:A:F:0:9:0:0,                 a:f:a:f:0:9::/128",
        "1:2:3:4:5:6::7,                  1:2:3:4:5:6:0:7/128",
        "::1:2:3:4:5:6:7,                 0:1:2:3:4:5:6:7/128",
        "1:0:0:2:0:0:3:4,                 1::2:0:0:3:4/128",
        "1:0:2:3:4:5:6:7,                 1:0:2:3:4:5:6:7/128"})
    void printsTheFirstLongestRunOfTwoOrMoreZeroGroupsAsDoubleColon(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1a.0.0.0", "256.255.255.255", "1:2:3:4:5:6:7::8", "g::1", "::1.2.3.4.5", "1:2::3:4:5:6:7:8"})
    void rejectsWhatLooksNearlyLikeALiteral(String text) {
        assertEquals("must be an IP address or a CIDR range like 10.0.0.0/8 or fc00::/7, got \"" + text + "\"",
                assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text)).getMessage());
    }

    @Test
    void rangesAreEqualByNetworkAndPrefix() {
        assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("::ffff:10.0.0.0/104"));
        assertFalse(Cidr.parse("10.0.0.0/8").equals(Cidr.parse("10.0.0.0/16")));
        assertFalse(Cidr.parse("10.0.0.0/8").equals(Cidr.parse("11.0.0.0/8")));
        assertFalse(Cidr.parse("10.0.0.0/8").equals("10.0.0.0/8"));
    }
}
