package dev.forwardauth.web;

import dev.forwardauth.forward.ForwardedHeaders;
import dev.forwardauth.forward.HostNames;
import dev.forwardauth.forward.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Enumeration;
import java.util.Locale;

/**
 * Scheme and host of a request that reached forwardauth's own routes (/signin, /start, /signout,
 * /userinfo) through the proxy. X-Forwarded-Proto/-Host count only from a trusted proxy; otherwise the
 * request's own scheme and Host.
 */
final class EffectiveRequest {
    private EffectiveRequest() {
    }

    static ForwardedHeaders headersOf(HttpServletRequest request) {
        return name -> {
            Enumeration<String> values = request.getHeaders(name);
            if (values == null || !values.hasMoreElements()) {
                return null;
            }
            String first = values.nextElement();
            return values.hasMoreElements() ? ForwardedHeaders.REPEATED : first;
        };
    }

    static boolean isHttps(HttpServletRequest request, TrustedProxies proxies) {
        if (proxies.trusts(request.getRemoteAddr())) {
            String proto = request.getHeader(ForwardedHeaders.PROTO);
            if (proto != null) {
                String lower = proto.toLowerCase(Locale.ROOT);
                return lower.equals("https") || lower.equals("wss");
            }
        }
        return request.isSecure();
    }

    /** The host and port as the browser sent them (X-Forwarded-Host from a trusted proxy, else Host). */
    static String authority(HttpServletRequest request, TrustedProxies proxies) {
        String host = null;
        if (proxies.trusts(request.getRemoteAddr())) {
            host = request.getHeader(ForwardedHeaders.HOST);
        }
        return host == null ? request.getHeader("Host") : host;
    }

    /** Lower-case host name without port; null when the header is malformed. */
    static String hostName(HttpServletRequest request, TrustedProxies proxies) {
        String host = null;
        if (proxies.trusts(request.getRemoteAddr())) {
            host = request.getHeader(ForwardedHeaders.HOST);
        }
        if (host == null) {
            host = request.getHeader("Host");
        }
        return host == null ? null : HostNames.hostName(host);
    }
}
