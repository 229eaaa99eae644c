package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.forwardauth.forward.ForwardedRequest;
import dev.forwardauth.policy.Access;
import dev.forwardauth.policy.Requirement;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.MockWebContext;
import org.pac4j.core.exception.http.UnauthorizedAction;

/** Who is sent to the identity provider (a browser) and who gets a 401 (everyone else), when there is no session. */
class ForwardAuthAjaxResolverTest {
    private final ForwardAuthAjaxResolver resolver = new ForwardAuthAjaxResolver();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "text/html,application/xhtml+xml,*/*;q=0.8 | false",
        "text/html                                | false",
        "application/json                         | true",
        "*/*                                      | true",
    })
    void onlyAPageRequestIsRedirected(String accept, boolean unauthorized) {
        assertEquals(unauthorized, resolver.isAjax(call(MockWebContext.create().addRequestHeader("Accept", accept))));
    }

    @Test
    void aRequestWithoutAcceptGets401() {
        assertEquals(true, resolver.isAjax(call(MockWebContext.create())));
    }

    @Test
    void aScriptAskingForHtmlGets401() {
        assertEquals(true, resolver.isAjax(call(MockWebContext.create().addRequestHeader("Accept", "text/html")
                .addRequestHeader("X-Requested-With", "XMLHttpRequest"))));
    }

    @Test
    void aCallerThatSentABearerTokenGets401EvenFromABrowser() {
        assertEquals(true, resolver.isAjax(call(MockWebContext.create().addRequestHeader("Accept", "text/html")
                .addRequestHeader("Authorization", "Bearer expired"))));
    }

    @Test
    void nginxAlwaysGets401() {
        MockWebContext browser = MockWebContext.create().addRequestHeader("Accept", "text/html");
        browser.setRequestAttribute(RequestScope.ATTRIBUTE, scope(true));
        assertEquals(true, resolver.isAjax(call(browser)));
        MockWebContext traefik = MockWebContext.create().addRequestHeader("Accept", "text/html");
        traefik.setRequestAttribute(RequestScope.ATTRIBUTE, scope(false));
        assertEquals(false, resolver.isAjax(call(traefik)));
    }

    @Test
    void startIsAlwaysRedirectedWhateverItAccepts() {
        MockWebContext start = MockWebContext.create().addRequestHeader("Accept", "application/json")
                .addRequestHeader("Authorization", "Bearer x");
        start.setRequestAttribute(ForwardAuthAjaxResolver.FORCE_REDIRECT_ATTRIBUTE, Boolean.TRUE);
        start.setRequestAttribute(RequestScope.ATTRIBUTE, scope(true));
        assertEquals(false, resolver.isAjax(call(start)));
    }

    @Test
    void theAnswerIsAPlain401() {
        assertInstanceOf(UnauthorizedAction.class, resolver.buildAjaxResponse(call(MockWebContext.create()), null));
    }

    private static CallContext call(MockWebContext context) {
        return new CallContext(context, null);
    }

    private static RequestScope scope(boolean nginx) {
        ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
        AppSecurity app = security.appFor("app.example.com").orElseThrow();
        return new RequestScope(security, new ForwardedRequest("GET", "https", "app.example.com", "app.example.com", "", "/"),
                app, "/", new Requirement(Access.AUTHENTICATED, Set.of(), Set.of(), Optional.empty(), "test"), nginx);
    }
}
