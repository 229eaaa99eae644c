package dev.forwardauth.forward;

/**
 * The user's original request as the proxy describes it, rebuilt once at the edge from X-Forwarded-*.
 * Everything downstream reads this value and never the headers again, so a check cannot disagree with
 * the parser about what the request was.
 *
 * @param method    upper-cased: servers that treat {@code get} as {@code GET} must not let it slip past a
 *                  method list
 * @param scheme    {@code http} or {@code https} ({@code ws}/{@code wss} from Traefik map to these)
 * @param host      the Host as sent, port included, case preserved (it is part of the URL we return to)
 * @param hostName  lower-case, without port or trailing dot: what selects the app
 * @param prefix    what a StripPrefix middleware removed ({@code ""} when none), a plain path without
 *                  trailing slash; kept apart so that a {@code ..} in the URI can never climb into it
 * @param uri       the request-URI the proxy saw after that, as sent: path and query
 */
public record ForwardedRequest(String method, String scheme, String host, String hostName, String prefix,
                               String uri) {

    public boolean secure() {
        return "https".equals(scheme);
    }

    /** The absolute URL the user asked for, exactly (case preserved), to return to after a login. */
    public String originalUrl() {
        return scheme + "://" + host + prefix + uri;
    }
}
