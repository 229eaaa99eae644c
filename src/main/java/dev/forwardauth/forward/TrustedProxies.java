package dev.forwardauth.forward;

import dev.forwardauth.config.Cidr;
import dev.forwardauth.config.IpLiterals;
import java.util.List;

/**
 * Only the proxy may describe the request with X-Forwarded-*: anyone else reaching /authorize directly
 * could claim any method, host and path. The peer address is parsed as a literal, never resolved.
 */
public final class TrustedProxies {
    private final Cidr[] ranges;

    public TrustedProxies(List<Cidr> ranges) {
        this.ranges = ranges.toArray(new Cidr[0]);
    }

    public boolean trusts(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isEmpty()) {
            return false;
        }
        String literal = remoteAddress;
        if (literal.charAt(0) == '[' && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        byte[] address = IpLiterals.parse(literal);
        if (address == null) {
            return false;
        }
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
