package dev.forwardauth.web;

import dev.forwardauth.forward.AcceptHeader;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Browser or API client, from the user's own headers (Traefik and Caddy forward them to /authorize).
 * A browser navigation asks for text/html and is not an XHR; it can follow a redirect to the IdP.
 * Everything else gets 401 with the start URL: a script cannot follow a cross-site login.
 */
final class ClientKind {
    private ClientKind() {
    }

    static boolean isBrowser(HttpServletRequest request) {
        return AcceptHeader.asksForHtml(request.getHeader("Accept")) && request.getHeader("X-Requested-With") == null;
    }
}
