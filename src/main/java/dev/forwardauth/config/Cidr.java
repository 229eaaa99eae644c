package dev.forwardauth.config;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range. IPv4-mapped IPv6 forms (::ffff:10.0.0.0/104, a peer on a dual-stack
 * socket) are treated as the IPv4 they carry, on both sides, so one entry covers both spellings.
 */
public record Cidr(byte[] network, int prefixLength) {
    private static final String EXAMPLE = "like 10.0.0.0/8 or fc00::/7";

    public Cidr {
        network = network.clone();
        int bits = network.length * 8;
        if (network.length != 4 && network.length != 16 || prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("not an address range: " + network.length + " bytes, /" + prefixLength);
        }
        if (isMapped(network) && prefixLength >= 96) {
            network = Arrays.copyOfRange(network, 12, 16);
            prefixLength = Math.max(0, prefixLength - 96);
        }
        if (!Arrays.equals(network, masked(network, prefixLength))) {
            throw new IllegalArgumentException("has bits set after the /" + prefixLength + " prefix");
        }
    }

    /**
     * Parses {@code 10.0.0.0/8}, {@code fc00::/7}, or a single address (a /32 or /128 range). The message
     * of the exception is user-facing, finishing a sentence that starts with the offending key's path.
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        byte[] address = IpLiterals.parse(slash < 0 ? text : text.substring(0, slash));
        String digits = slash < 0 ? null : text.substring(slash + 1);
        if (address == null || digits != null
                && (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit))) {
            throw new IllegalArgumentException("must be an IP address or a CIDR range " + EXAMPLE
                    + ", got \"" + text + "\"");
        }
        int bits = address.length * 8;
        int prefix = digits == null ? bits : Integer.parseInt(digits);
        if (prefix > bits) {
            throw new IllegalArgumentException("prefix length must be 0 to " + bits + " for an IPv"
                    + (bits == 32 ? "4" : "6") + " address, got \"" + text + "\"");
        }
        byte[] network = masked(address, prefix);
        if (!Arrays.equals(network, address)) {
            throw new IllegalArgumentException("has bits set after the /" + prefix + " prefix (did you mean "
                    + IpLiterals.format(network) + "/" + prefix + "?), got \"" + text + "\"");
        }
        return new Cidr(address, prefix);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Called for every request's peer address: no allocation, no lookups. */
    public boolean contains(byte[] address) {
        int offset = address.length == 16 && network.length == 4 && isMapped(address) ? 12 : 0;
        if (address.length - offset != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (address[offset + i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (address[offset + whole] & mask) == (network[whole] & mask);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && prefixLength == cidr.prefixLength && Arrays.equals(network, cidr.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return IpLiterals.format(network) + "/" + prefixLength;
    }

    private static boolean isMapped(byte[] address) {
        if (address.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }
}
