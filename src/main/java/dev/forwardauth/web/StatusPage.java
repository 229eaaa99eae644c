package dev.forwardauth.web;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.config.Cidr;
import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.config.RuleConfig;
import dev.forwardauth.ops.Decision;
import dev.forwardauth.ops.DecisionOutcome;
import dev.forwardauth.security.IdentityProvider;
import dev.forwardauth.security.token.IdpMetadata;
import dev.forwardauth.security.token.KeySetStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The status page's HTML: plain, no script, one style pinned by hash in its CSP. Every value passes through
 * {@link Escaping#html} on its way in ({@link #text}), labels are constants, and secrets are never read
 * beyond "set or not" ({@link #secret}).
 */
final class StatusPage {
    static final String STYLE = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;font-size:14px}"
            + "h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.6em 0 .4em;border-bottom:1px solid #ccc}"
            + "h3{font-size:1.05em;margin:1.2em 0 .3em}p{margin:.3em 0}"
            + "table{border-collapse:collapse;margin:.3em 0}th,td{text-align:left;vertical-align:top;"
            + "padding:.2em .6em;border:1px solid #ddd}th{background:#f4f4f4;font-weight:600}"
            + "td{font-family:ui-monospace,monospace;overflow-wrap:break-word}td.time{white-space:nowrap}"
            + ".kv th{width:14em}"
            + ".none{color:#888;font-style:italic}.hidden{color:#666}.ok{background:#eef8ee}"
            + ".login{background:#f2f4fb}.deny{background:#fbeeee}.error{background:#fff4e0}";
    static final String CSP = OutcomeWriter.contentSecurityPolicy(STYLE);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    // Before an app took the request (an untrusted peer, headers not understood) there is no app, host or path.
    private static final String NONE = "-";
    private static final DateTimeFormatter DECISION_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** Everything the page shows, gathered by the servlet at one moment. */
    record View(String version, Instant startedAt, Instant now, String viewer, ForwardAuthConfig config,
                IdentityProvider.Status idp, List<Decision> decisions, int decisionCapacity) {
    }

    private final StringBuilder out = new StringBuilder(16_384);

    private StatusPage() {
    }

    static String render(View view) {
        return new StatusPage().page(view);
    }

    private String page(View view) {
        out.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>forwardauth status</title><style>").append(STYLE).append("</style></head><body>");
        out.append("<h1>forwardauth status</h1><p>Version <strong>").append(text(view.version()))
                .append("</strong>, up ").append(text(uptime(Duration.between(view.startedAt(), view.now()))))
                .append(" (since ").append(text(TIME.format(view.startedAt()))).append("). Page made at ")
                .append(text(TIME.format(view.now()))).append(" for ").append(text(view.viewer())).append(".</p>");
        identityProvider(view.config(), view.idp());
        settings(view.config());
        apps(view.config());
        decisions(view.decisions(), view.decisionCapacity());
        out.append("</body></html>");
        return out.toString();
    }

    private void identityProvider(ForwardAuthConfig config, IdentityProvider.Status idp) {
        out.append("<h2>Identity provider</h2><table class=\"kv\">");
        IdpMetadata metadata = idp.metadata();
        row("discovery document", metadata == null ? config.discoveryUri().toString()
                : metadata.discoveryUrl().toString());
        if (metadata == null) {
            rowHtml("state", "<span class=\"none\">not discovered yet</span>");
        } else {
            row("state", "discovered at " + TIME.format(idp.discoveredAt()));
            row("issuer", metadata.issuer());
            row("authorization endpoint", uri(metadata.authorizationEndpoint()));
            row("token endpoint", uri(metadata.tokenEndpoint()));
            row("userinfo endpoint", uri(metadata.userinfoEndpoint()));
            row("end-session endpoint", uri(metadata.endSessionEndpoint()));
            row("jwks_uri", uri(metadata.jwksUri()));
        }
        KeySetStatus keys = idp.keys();
        if (keys.fetchedAt() == null) {
            rowHtml("signing key ids", "<span class=\"none\">not fetched yet (keys are fetched when a token is"
                    + " first checked)</span>");
        } else {
            row("signing key ids", (keys.keyIds().isEmpty() ? "(none)" : String.join(", ", keys.keyIds()))
                    + " (fetched at " + TIME.format(keys.fetchedAt()) + ")");
        }
        if (keys.lastError() != null) {
            row("last key fetch error", keys.lastError() + " (at " + TIME.format(keys.lastErrorAt()) + ")");
        }
        if (idp.error() != null) {
            row(metadata == null ? "last discovery error" : "last reachability error",
                    idp.error() + " (at " + TIME.format(idp.errorAt()) + ")");
        }
        out.append("</table>");
    }

    private void settings(ForwardAuthConfig config) {
        out.append("<h2>Settings</h2><table class=\"kv\">");
        row("domain", config.domain().toString());
        config.authorizeUrl().ifPresent(url -> row("authorize-url", url.toString()));
        config.tokenEndpoint().ifPresent(url -> row("token-endpoint", url.toString()));
        config.userinfoEndpoint().ifPresent(url -> row("userinfo-endpoint", url.toString()));
        config.logoutEndpoint().ifPresent(url -> row("logout-endpoint", url.toString()));
        config.jwksUri().ifPresent(url -> row("jwks-uri", url.toString()));
        row("idp-connect-timeout", seconds(config.idpLimits().connectTimeout()));
        row("idp-read-timeout", seconds(config.idpLimits().readTimeout()));
        row("idp-max-concurrent-calls", Integer.toString(config.idpLimits().maxConcurrentCalls()));
        row("nonce-max-age", seconds(config.nonceMaxAge()));
        row("session-max-age", seconds(config.sessionMaxAge()));
        List<String> proxies = new ArrayList<>();
        for (Cidr cidr : config.trustedProxies()) {
            proxies.add(cidr.toString());
        }
        row("trusted-proxies", String.join(", ", proxies));
        rowHtml("session-secret", secret(config.sessionSecret()));
        row("status-permission", config.statusPermission());
        row("metrics", config.metrics() ? "true (at /metrics)" : "false");
        row("decision-log", config.decisionLog().configName());
        out.append("</table>");
    }

    private void apps(ForwardAuthConfig config) {
        out.append("<h2>Apps</h2>");
        if (config.apps().isEmpty()) {
            out.append("<p class=\"none\">No app names a host: the default serves every host.</p>");
        }
        for (AppConfig app : config.apps()) {
            app(app.name(), app);
        }
        Optional<AppConfig> defaults = config.defaultApp();
        if (defaults.isPresent()) {
            app("default (every other host)", defaults.get());
        } else {
            out.append("<p>No <code>default</code>: hosts no app names get 403.</p>");
        }
    }

    private void app(String title, AppConfig app) {
        out.append("<h3>").append(text(title)).append("</h3><table class=\"kv\">");
        row("client-id", app.clientId());
        rowHtml("client-secret", app.clientSecret() == null
                ? "<span class=\"none\">not set (public client)</span>" : secret(app.clientSecret()));
        row("audience", app.audience());
        row("scope", app.scope());
        row("redirect-uri", uri(app.redirectUri()));
        row("token-cookie-domain", app.tokenCookieDomain() == null ? "(host-only cookie)" : app.tokenCookieDomain());
        row("return-to", app.returnTo() == null ? "(none)" : app.returnTo().toString());
        row("restricted-methods", app.restrictedMethods() == null ? "(every method)" : list(app.restrictedMethods()));
        row("required-permissions", list(app.requiredPermissions()));
        row("required-scopes", list(app.requiredScopes()));
        row("claims", list(app.claims()));
        row("allow-basic", Boolean.toString(app.allowBasic()));
        out.append("</table>");
        if (app.rules().isEmpty()) {
            out.append("<p class=\"none\">No rules: the app's settings above decide every request.</p>");
            return;
        }
        out.append("<table><tr><th>#</th><th>path</th><th>methods</th><th>allow</th><th>required-scopes</th>")
                .append("<th>required-permissions</th></tr>");
        for (RuleConfig rule : app.rules()) {
            out.append("<tr>");
            cell(Integer.toString(rule.index()));
            cell(rule.path());
            cell(rule.methods().isEmpty() ? "(every method)" : String.join(", ", rule.methods()));
            cell(rule.allow());
            cell(list(rule.requiredScopes()));
            cell(list(rule.requiredPermissions()));
            out.append("</tr>");
        }
        out.append("</table>");
    }

    private void decisions(List<Decision> decisions, int capacity) {
        out.append("<h2>Recent decisions</h2><p>The last ").append(decisions.size()).append(" of at most ")
                .append(capacity).append(" /authorize decisions kept in memory, newest first; times in UTC.</p>");
        if (decisions.isEmpty()) {
            out.append("<p class=\"none\">None since the start.</p>");
            return;
        }
        out.append("<table><tr><th>time</th><th>app</th><th>method</th><th>host</th><th>path</th><th>user</th>")
                .append("<th>rule</th><th>outcome</th><th>reason</th></tr>");
        for (Decision decision : decisions) {
            out.append("<tr class=\"").append(rowClass(decision.status())).append("\">");
            out.append("<td class=\"time\">").append(text(DECISION_TIME.format(decision.time()))).append("</td>");
            cell(orNone(decision.app()));
            cell(orNone(decision.method()));
            cell(orNone(decision.host()));
            cell(orNone(decision.path()));
            cell(decision.user() == null ? "" : decision.user());
            cell(decision.rule() != null ? decision.rule() : decision.app() != null ? "app settings" : NONE);
            cell(outcome(decision));
            cell(decision.reason());
            out.append("</tr>");
        }
        out.append("</table>");
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }

    static String outcome(Decision decision) {
        int status = decision.status();
        return switch (status) {
            case 200 -> decision.outcome() == DecisionOutcome.ANONYMOUS ? "200 allowed, anonymous" : "200 allowed";
            case 307 -> "307 to login";
            case 401 -> "401 sign-in required";
            case 403 -> switch (decision.outcome()) {
                case DENY_RULE -> "403 denied by a rule";
                case NO_APP -> "403 no app for the host";
                case UNTRUSTED_PEER -> "403 untrusted peer";
                default -> "403 denied";
            };
            case 503 -> "503 identity provider unavailable";
            default -> status + " " + decision.outcome().label().replace('_', ' ');
        };
    }

    private static String rowClass(int status) {
        if (status < 300) {
            return "ok";
        }
        if (status == 307 || status == 401) {
            return "login";
        }
        return status == 403 ? "deny" : "error";
    }

    /** Whether a secret is set: never its value, length or any part of it. */
    static String secret(String value) {
        return value == null ? "<span class=\"none\">not set</span>" : "<span class=\"hidden\">set (hidden)</span>";
    }

    static String uptime(Duration up) {
        long seconds = Math.max(0, up.getSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        if (days > 0) {
            return days + " d " + hours + " h " + minutes + " min";
        }
        if (hours > 0) {
            return hours + " h " + minutes + " min";
        }
        return minutes > 0 ? minutes + " min " + seconds % 60 + " s" : seconds + " s";
    }

    private void row(String label, String value) {
        rowHtml(label, text(value));
    }

    // Only for values this class built itself from constants (secret(), "none" notes).
    private void rowHtml(String label, String html) {
        out.append("<tr><th>").append(text(label)).append("</th><td>").append(html).append("</td></tr>");
    }

    private void cell(String value) {
        out.append("<td>").append(text(value)).append("</td>");
    }

    private static String text(String value) {
        return value == null ? "" : Escaping.html(value);
    }

    private static String uri(URI uri) {
        return uri == null ? "(none)" : uri.toString();
    }

    private static String seconds(Duration duration) {
        return duration.getSeconds() + " s";
    }

    private static String list(Collection<String> values) {
        return values.isEmpty() ? "(none)" : String.join(", ", values);
    }
}
