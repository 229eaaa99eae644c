package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.forward.ForwardedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.FrameworkParameters;
import org.pac4j.core.context.MockWebContext;
import org.pac4j.core.exception.http.WithLocationAction;

/**
 * Drives forwardauth's pac4j configuration the way its servlets do (the security logic for /authorize, the
 * callback logic for /signin), with pac4j's own MockWebContext in place of a servlet request and response, and
 * a browser that keeps the cookies each answer sets.
 */
final class Pac4jFlows {
    /** What the security logic returns when it grants access (the web layer's adapter writes the 200). */
    static final String GRANTED = "granted";

    private final ForwardAuthSecurity security;
    final Map<String, String> cookies = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** The one thing the servlet layer adds: a WebContext for the request at hand. */
    private record Request(MockWebContext context) implements FrameworkParameters {
    }

    Pac4jFlows(ForwardAuthSecurity security) {
        this.security = security;
        security.pac4j().setWebContextFactory(parameters -> ((Request) parameters).context());
    }

    /** A request from this browser, with its cookies. */
    MockWebContext browserRequest() {
        MockWebContext context = MockWebContext.create().addRequestHeader("Accept", "text/html");
        cookies.forEach((name, value) -> context.getRequestCookies().add(new Cookie(name, value)));
        return context;
    }

    /** The proxy's /authorize for {@code method https://host/path}, as the edge filter hands it to pac4j. */
    Object authorize(MockWebContext context, String method, String host, String path) {
        AppSecurity app = security.appFor(host).orElseThrow();
        RequestScope scope = new RequestScope(security, new ForwardedRequest(method, "https", host, host, "", path), app, path,
                app.policy().requirementFor(method, path), false);
        context.setRequestAttribute(RequestScope.ATTRIBUTE, scope);
        context.setRequestAttribute(AppSecurity.ATTRIBUTE, app);
        // An exception (503) is answered without committing, so the browser keeps its cookies.
        Object answer = security.pac4j().getSecurityLogic().perform(security.pac4j(),
                (webContext, sessionStore, profiles) -> GRANTED, null, PolicyAuthorizer.NAME, "none",
                new Request(context));
        receive(context, app);
        return answer;
    }

    /** The IdP's login page: the user is signed in at once and sent back; the callback's query parameters. */
    Map<String, String> signInAtIdp(WithLocationAction toIdp) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(toIdp.getLocation())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, response.statusCode(), response.body());
        return query(response.headers().firstValue("Location").orElseThrow());
    }

    /** The decoded query parameters of a URL. */
    static Map<String, String> query(String url) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    /** /signin: the pending login found by its state, then pac4j's callback logic; returns pac4j's answer. */
    Object callback(Map<String, String> query) {
        MockWebContext context = browserRequest().addRequestParameters(query);
        var login = security.sessionStore().lookup(context, query.get("state"));
        AppSecurity app = security.appByClientName(login.appName()).orElseThrow();
        context.setRequestAttribute(AppSecurity.ATTRIBUTE, app);
        app.requireIdp();
        Object answer = security.pac4j().getCallbackLogic().perform(security.pac4j(), login.requestedUrl(), false,
                null, new Request(context));
        receive(context, app);
        return answer;
    }

    /** Commits the store's changes as the web layer does before answering, and keeps the cookies. */
    void receive(MockWebContext context, AppSecurity app) {
        security.sessionStore().commit(context, ForwardAuthSecurity.cookieSettings(app, true));
        for (Cookie cookie : context.getResponseCookies()) {
            if (cookie.getMaxAge() == 0) {
                cookies.remove(cookie.getName());
            } else {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        }
    }

    boolean hasSession() {
        return cookies.containsKey("FORWARDAUTH");
    }

    static void assertGoesToIdp(Object answer, String authorizeEndpoint) {
        assertTrue(answer instanceof WithLocationAction, String.valueOf(answer));
        String location = ((WithLocationAction) answer).getLocation();
        assertTrue(location.startsWith(authorizeEndpoint + "?"), location);
        assertTrue(location.contains("code_challenge_method=S256") && location.contains("nonce="), location);
    }
}
