package dev.forwardauth.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The protected app behind the gateway (the "upstream"): one HTML page that shows which identity headers
 * reached it. It trusts them because only the gateway can reach it, and the gateway sets them from
 * forwardauth's answer alone. The access token is shown cut short: a page must not echo a bearer token.
 */
final class SamplePage extends Handler.Abstract {
    /** "Bearer " and ten characters of the token: enough to see that it is a JWT. */
    static final int AUTHORIZATION_SHOWN = 17;

    private record Section(String title, String rule) {
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path.equals("/favicon.ico")) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        // The page differs per user: no cache may keep one user's copy for the next.
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        byte[] html = page(path, identityHeaders(request)).getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(html), callback);
        return true;
    }

    /** X-Forwarded-User, then each X-Forwardauth-*, then Authorization; in the order they came. */
    private static List<HttpField> identityHeaders(Request request) {
        List<HttpField> fields = new ArrayList<>();
        request.getHeaders().stream().filter(f -> f.is("X-Forwarded-User")).forEach(fields::add);
        request.getHeaders().stream().filter(f -> f.getLowerCaseName().startsWith("x-forwardauth-")).forEach(fields::add);
        request.getHeaders().stream().filter(f -> f.is("Authorization")).forEach(fields::add);
        return fields;
    }

    private static Section section(String path) {
        if (path.equals("/")) {
            return new Section("Home", "<code>/</code>: anonymous, anyone may see it");
        }
        if (path.startsWith("/public/")) {
            return new Section("Public page", "<code>/public/**</code>: anonymous; forwardauth still sends the"
                    + " identity headers when you are signed in");
        }
        if (path.startsWith("/admin/")) {
            return new Section("Admin page", "<code>/admin/**</code>: signed in, and the access token's scope"
                    + " holds <code>" + DemoConfig.ADMIN_SCOPE + "</code>");
        }
        return new Section("Private page", "everything else: any signed-in user");
    }

    static String page(String path, List<HttpField> identity) {
        Section section = section(path);
        String user = identity.stream().filter(f -> f.is("X-Forwarded-User")).map(HttpField::getValue)
                .findFirst().orElse(null);
        StringBuilder html = new StringBuilder(2048);
        html.append("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8">
                <title>forwardauth demo: %1$s</title>
                <style>
                  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
                  .demo { background: #fff3cd; border: 1px solid #e0c060; padding: .5rem .8rem; }
                  table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
                  nav a { margin-right: 1rem; } code { background: #f3f3f3; padding: 0 .2rem; }
                </style></head><body>
                <p class="demo"><strong>forwardauth DEMO</strong>: not for production. A development identity
                provider signs anyone in.</p>
                <h1>%1$s</h1>
                <p>Rule: %2$s.</p>
                """.formatted(section.title(), section.rule()));
        html.append(user == null ? "<p id=\"user\">You are <strong>not signed in</strong>.</p>\n"
                : "<p id=\"user\">Signed in as <strong>" + escape(user) + "</strong>.</p>\n");
        html.append("<h2>Identity headers this page received</h2>\n");
        if (identity.isEmpty()) {
            html.append("<p>None.</p>\n");
        } else {
            html.append("<table>\n<tr><th>header</th><th>value</th></tr>\n");
            for (HttpField field : identity) {
                html.append("<tr><td><code>").append(escape(field.getName())).append("</code></td><td><code>")
                        .append(escape(shown(field))).append("</code></td></tr>\n");
            }
            html.append("</table>\n");
        }
        html.append("""
                <nav><p>
                <a href="/">Home</a>
                <a href="/public/">Public (anonymous)</a>
                <a href="/private/">Private (needs a login)</a>
                <a href="/admin/">Admin (needs %1$s: 403)</a>
                <a href="/oauth2/signout">Sign out</a>
                </p></nav>
                <p>The gateway asks forwardauth about every request and passes only the identity headers of
                its answer: a header like <code>X-Forwarded-User</code> sent by the browser itself never
                reaches this page. The development IdP's login page takes any user name; its optional claims
                box replaces the token's claims, e.g. <code>{"scope": "openid %1$s"}</code> opens the admin
                page.</p>
                </body></html>
                """.formatted(DemoConfig.ADMIN_SCOPE));
        return html.toString();
    }

    /** The access token only begins: it is a credential, and this page is no place for it. */
    private static String shown(HttpField field) {
        String value = field.getValue();
        if (field.is("Authorization") && value.length() > AUTHORIZATION_SHOWN) {
            return value.substring(0, AUTHORIZATION_SHOWN) + "\u2026 (" + value.length() + " characters)";
        }
        return value;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
