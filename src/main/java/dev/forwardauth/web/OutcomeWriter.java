package dev.forwardauth.web;

import dev.forwardauth.security.Identity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns an {@link Outcome} into HTTP (SPEC section 4). Nothing else sets a status.
 * Bodies never contain a token; messages that echo input are escaped. Every answer says {@code no-store};
 * every answer a browser may render (all but the proxy's 200) also carries the page headers below.
 */
public final class OutcomeWriter {
    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;"
            + "padding:0 1em;color:#222}h1{font-size:1.4em}code{background:#eee;padding:0 .2em}";
    private static final String CSP = contentSecurityPolicy(STYLE);

    private final RecentDecisions recentDecisions;

    OutcomeWriter(RecentDecisions recentDecisions) {
        this.recentDecisions = recentDecisions;
    }

    /**
     * A strict CSP with the page's only style pinned by hash: no script, no frame, no form, no other style
     * (not even one of ours from another URL) anywhere.
     */
    static String contentSecurityPolicy(String style) {
        return "default-src 'none'; style-src '" + sha256(style) + "'; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    }

    public void write(HttpServletRequest request, HttpServletResponse response, Outcome outcome) throws IOException {
        DecisionTrail trail = DecisionTrail.of(request);
        if (trail != null) {
            trail.outcome = outcome; // for the decision log and the metrics, once the answer is out
        }
        recentDecisions.record(request, outcome);
        // Auth answers depend on cookies and headers: no cache may store or replay them.
        response.setHeader("Cache-Control", "no-store");
        // Java 17: no pattern switch yet; the sealed interface keeps this list complete by review.
        if (outcome instanceof Outcome.Allow allow) {
            // Read by the proxy only (it passes the request on, or copies the identity headers): the hot
            // path sets nothing a browser would need.
            allow(response, allow.identity());
            return;
        }
        pageHeaders(response);
        if (outcome instanceof Outcome.Redirect redirect) {
            response.setStatus(redirect.status());
            response.setHeader("Location", redirect.location());
        } else if (outcome instanceof Outcome.Unauthenticated u) {
            unauthenticated(request, response, u);
        } else if (outcome instanceof Outcome.Forbidden f) {
            forbidden(request, response, f);
        } else if (outcome instanceof Outcome.Refused r) {
            body(request, response, r.status(), r.title(), r.message(), "{\"error\":" + Escaping.json(errorCode(r.status()))
                    + ",\"message\":" + Escaping.json(r.message()) + "}");
        } else if (outcome instanceof Outcome.Notice n) {
            body(request, response, 200, n.title(), n.message(),
                    "{\"message\":" + Escaping.json(n.message()) + "}");
        } else if (outcome instanceof Outcome.MethodNotAllowed m) {
            response.setHeader("Allow", String.join(", ", m.allowed()));
            String message = "this address answers " + String.join(" and ", m.allowed()) + " only";
            body(request, response, 405, "Method not allowed", message,
                    "{\"error\":\"method_not_allowed\",\"message\":" + Escaping.json(message) + "}");
        } else if (outcome instanceof Outcome.Unavailable u) {
            body(request, response, 503, "Sign-in is unavailable", u.message(),
                    "{\"error\":\"unavailable\",\"message\":" + Escaping.json(u.message()) + "}");
        } else {
            throw new IllegalStateException("unknown outcome " + outcome.getClass().getName());
        }
    }

    /** 200 with a JSON body the caller built (/health, /userinfo), with the same headers as every page. */
    public void json(HttpServletResponse response, byte[] body) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        pageHeaders(response);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** 200 with a body another component writes in its own format (the Prometheus scrape), our headers first. */
    public void stream(HttpServletResponse response, String contentType, BodyWriter body) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        pageHeaders(response);
        response.setContentType(contentType);
        body.writeTo(response.getOutputStream());
    }

    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    // Whatever a browser shows of ours can be neither sniffed into another type, framed (clickjacking),
    // nor run anything: the CSP allows the one inline style and nothing else. No Referer leaves our pages,
    // whose URLs may hold a login's state or code.
    private static void pageHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("Referrer-Policy", "no-referrer");
    }

    private static void allow(HttpServletResponse response, Identity identity) {
        response.setStatus(HttpServletResponse.SC_OK);
        if (identity == null) {
            return;
        }
        response.setHeader("Authorization", "Bearer " + identity.accessToken());
        response.setHeader("X-Forwarded-User", Escaping.headerValue(identity.subject()));
        for (Map.Entry<String, String> claim : identity.claimHeaders().entrySet()) {
            response.setHeader(claim.getKey(), Escaping.headerValue(claim.getValue()));
        }
    }

    private void unauthenticated(HttpServletRequest request, HttpServletResponse response, Outcome.Unauthenticated u)
            throws IOException {
        String challenge = u.tokenError() == null
                ? "Bearer realm=\"forwardauth\""
                : "Bearer realm=\"forwardauth\", error=\"invalid_token\", error_description="
                        + quoted(u.tokenError());
        response.setHeader("WWW-Authenticate", challenge);
        if (u.offerBasic()) {
            response.addHeader("WWW-Authenticate", "Basic realm=\"forwardauth\", charset=\"UTF-8\"");
        }
        if (u.startUrl() != null) {
            response.setHeader("Location", u.startUrl());
        }
        String message = u.tokenError() != null ? u.tokenError()
                : u.credentialsError() != null ? u.credentialsError() : "sign-in required";
        String json = "{\"error\":\"unauthorized\",\"message\":" + Escaping.json(message)
                + (u.startUrl() == null ? "" : ",\"login\":" + Escaping.json(u.startUrl())) + "}";
        body(request, response, 401, "Sign-in required", message, json);
    }

    private void forbidden(HttpServletRequest request, HttpServletResponse response, Outcome.Forbidden f)
            throws IOException {
        StringBuilder message = new StringBuilder(f.reason());
        if (!f.missingScopes().isEmpty()) {
            message.append("; missing scopes: ").append(String.join(" ", f.missingScopes()));
        }
        if (!f.missingPermissions().isEmpty()) {
            message.append("; missing permissions: ").append(String.join(" ", f.missingPermissions()));
        }
        if (!f.missingScopes().isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"forwardauth\", error=\"insufficient_scope\", scope="
                    + quoted(String.join(" ", f.missingScopes())));
        }
        String json = "{\"error\":\"forbidden\",\"message\":" + Escaping.json(f.reason())
                + ",\"missing_scopes\":" + jsonArray(f.missingScopes())
                + ",\"missing_permissions\":" + jsonArray(f.missingPermissions()) + "}";
        body(request, response, 403, "Access denied", message.toString(), json);
    }

    /**
     * 200 with a whole page rendered by us (the status page), which brings its own style and so its own CSP
     * from {@link #contentSecurityPolicy}; otherwise the headers of every page.
     */
    void page(HttpServletResponse response, String html, String csp) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        response.setStatus(HttpServletResponse.SC_OK);
        securityHeaders(response, csp);
        response.setContentType("text/html;charset=utf-8");
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static void securityHeaders(HttpServletResponse response, String csp) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", csp);
    }

    private static void body(HttpServletRequest request, HttpServletResponse response, int status, String title,
                             String message, String json) throws IOException {
        response.setStatus(status);
        byte[] bytes;
        if (ClientKind.isBrowser(request)) {
            response.setContentType("text/html;charset=utf-8");
            bytes = page(title, message).getBytes(StandardCharsets.UTF_8);
        } else {
            response.setContentType("application/json");
            bytes = json.getBytes(StandardCharsets.UTF_8);
        }
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * Every answer with a body, written here or by the few servlets that write their own (/health, /userinfo,
     * the 404): never framed, never sniffed as another type, nothing in it may run.
     */
    static void bodyHeaders(HttpServletResponse response) {
        securityHeaders(response, CSP);
    }

    static String page(String title, String message) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Escaping.html(title)
                + "</title><style>" + STYLE + "</style></head><body><h1>" + Escaping.html(title) + "</h1><p>"
                + Escaping.html(message) + "</p></body></html>";
    }

    private static String errorCode(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            default -> "error";
        };
    }

    private static String jsonArray(List<String> items) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : ",").append(Escaping.json(items.get(i)));
        }
        return out.append(']').toString();
    }

    /** A quoted-string for WWW-Authenticate parameters (RFC 9110): no quotes, backslashes or controls. */
    private static String quoted(String value) {
        return '"' + Escaping.headerValue(value).replace("\\", "").replace("\"", "'") + '"';
    }

    private static String sha256(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
