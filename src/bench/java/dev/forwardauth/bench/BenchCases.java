package dev.forwardauth.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * The cases, with what they need from the IdP: a session cookie from one real login, a bearer token, and for
 * the many-users cases thousands of distinct tokens and sessions, more than forwardauth's caches hold.
 */
final class BenchCases {
    static final String AUDIENCE = "https://api.example.com";
    private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final MockOAuth2Server idp;
    private final URI forwardauth;

    BenchCases(MockOAuth2Server idp, URI forwardauth) {
        this.idp = idp;
        this.forwardauth = forwardauth;
    }

    /** The bare handler first, then (a) to (e) and the reference /health, as {@code wanted} selects. */
    List<BenchCase> core(AuthorizeBench.Settings settings) throws Exception {
        String cookie = login("alice");
        Map<String, String> browser = BenchCase.traefik("/reports/q1?sort=desc", HTML);
        Map<String, String> api = BenchCase.traefik("/reports/q1?sort=desc", "application/json");
        Map<String, String> session = BenchCase.with(browser, "Cookie", cookie);
        List<BenchCase> all = List.of(
                new BenchCase("bare", "bare Jetty handler (ceiling)", true, "/", session, 200),
                new BenchCase("health", "forwardauth /health (servlet, no auth)", false, "/health", session, 200),
                new BenchCase("a", "(a) valid session cookie", false, "/authorize", session, 200),
                new BenchCase("b", "(b) valid bearer token", false, "/authorize",
                        BenchCase.with(api, "Authorization", "Bearer " + token("robot")), 200),
                new BenchCase("c", "(c) anonymous rule", false, "/authorize",
                        BenchCase.traefik("/public/logo.png", "image/avif,image/webp,*/*"), 200),
                new BenchCase("d", "(d) 403 missing scope", false, "/authorize",
                        BenchCase.with(BenchCase.traefik("/admin/users", HTML), "Cookie", cookie), 403),
                new BenchCase("e", "(e) no session -> 307", false, "/authorize", browser, 307));
        return checked(all, settings);
    }

    /** (f) and (g): every request from another user, round robin over more users than the caches keep. */
    List<BenchCase> manyUsers(AuthorizeBench.Settings settings) throws Exception {
        List<BenchCase> cases = new ArrayList<>();
        if (settings.wants("f")) {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < settings.tokens(); i++) {
                tokens.add("Bearer " + token("robot-" + i));
            }
            cases.add(rotating("f", "(f) " + tokens.size() + " distinct bearer tokens, round robin",
                    BenchCase.traefik("/reports/q1?sort=desc", "application/json"), "Authorization", tokens));
        }
        if (settings.wants("g")) {
            List<String> cookies = new ArrayList<>();
            for (int i = 0; i < settings.sessions(); i++) {
                cookies.add(login("user-" + i));
            }
            cases.add(rotating("g", "(g) " + cookies.size() + " distinct session cookies, round robin",
                    BenchCase.traefik("/reports/q1?sort=desc", HTML), "Cookie", cookies));
        }
        return checked(cases, settings);
    }

    private static BenchCase rotating(String key, String label, Map<String, String> headers, String header,
                                      List<String> values) {
        return new BenchCase(key, label, false, "/authorize", BenchCase.with(headers, header, values.get(0)), 200,
                new BenchCase.Rotation(header, values));
    }

    private String login(String subject) throws IOException, InterruptedException {
        return new BrowserLogin().login(forwardauth, idp, "https://" + BenchCase.HOST + "/reports/q1",
                new DefaultOAuth2TokenCallback("default", subject, "JWT", List.of(AUDIENCE),
                        Map.of("name", subject, "email", subject + "@example.com", "scope", "openid profile email"),
                        3600));
    }

    private String token(String subject) {
        return idp.issueToken("default", "forwardauth", new DefaultOAuth2TokenCallback("default", subject,
                "JWT", List.of(AUDIENCE), Map.of("scope", "read:reports"), 3600)).serialize();
    }

    private List<BenchCase> checked(List<BenchCase> all, AuthorizeBench.Settings settings)
            throws IOException, InterruptedException {
        List<BenchCase> chosen = new ArrayList<>();
        for (BenchCase c : all) {
            if (c.bare() || settings.wants(c.key())) {
                if (!c.bare()) {
                    check(c);
                }
                chosen.add(c);
            }
        }
        return chosen;
    }

    /** One request before wrk: the case must answer what it claims, or its numbers mean nothing. */
    private void check(BenchCase c) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(forwardauth.resolve(c.path()));
        c.headers().forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        boolean identity = response.headers().firstValue("X-Forwarded-User").isPresent();
        boolean wantsIdentity = List.of("a", "b", "f", "g").contains(c.key());
        if (response.statusCode() != c.expectedStatus() || identity != wantsIdentity) {
            throw new IllegalStateException(c.label() + ": expected " + c.expectedStatus() + (wantsIdentity
                    ? " with X-Forwarded-User" : "") + ", got " + response.statusCode() + " " + response.headers().map()
                    + " " + response.body());
        }
    }
}
