package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.MockWebContext;
import org.pac4j.core.context.session.MockSessionStore;
import org.pac4j.core.authorization.authorizer.Authorizer;
import org.pac4j.core.exception.TechnicalException;
import org.pac4j.core.matching.matcher.Matcher;

/** Names resolved once give what pac4j resolves every time; what depends on the request is not kept. */
class ResolvedOnceCheckersTest {
    private final Authorizer policy = (context, store, profiles) -> true;
    private final Map<String, Authorizer> authorizers = Map.of("forwardauthPolicy", policy);

    @Test
    void anExplicitAuthorizerListIsResolvedOnce() {
        ResolvedOnceCheckers.Authorization checker = new ResolvedOnceCheckers.Authorization();

        List<Authorizer> first = checker.computeAuthorizers(null, List.of(), "forwardauthPolicy", authorizers, List.of());
        List<Authorizer> second = checker.computeAuthorizers(null, List.of(), "forwardauthPolicy", authorizers, List.of());

        assertEquals(List.of(policy), first);
        assertSame(first, second);
    }

    @Test
    void anUnknownNameIsAnErrorEveryTime() {
        ResolvedOnceCheckers.Authorization checker = new ResolvedOnceCheckers.Authorization();

        for (int i = 0; i < 2; i++) {
            TechnicalException e = assertThrows(TechnicalException.class,
                    () -> checker.computeAuthorizers(null, List.of(), "typo", authorizers, List.of()));
            assertEquals("The authorizer 'typo' must be defined in the security configuration", e.getMessage());
        }
    }

    @Test
    void defaultsAreLeftToPac4jForEachRequest() {
        ResolvedOnceCheckers.Authorization checker = new ResolvedOnceCheckers.Authorization();

        List<Authorizer> first = checker.computeAuthorizers(null, List.of(), "", authorizers, List.of());
        List<Authorizer> second = checker.computeAuthorizers(null, List.of(), "", authorizers, List.of());

        assertEquals(1, first.size(), "isAuthenticated only: no client here is indirect or anonymous");
        assertTrue(first != second, "computed again");
    }

    @Test
    void noMatchersMeansNone() {
        ResolvedOnceCheckers.Matching checker = new ResolvedOnceCheckers.Matching();
        Map<String, Matcher> matchers = Map.of();

        List<Matcher> first = checker.computeMatchers(null, "none", matchers, List.of());

        assertEquals(List.of(), first);
        assertSame(first, checker.computeMatchers(null, "none", matchers, List.of()));
    }

    @Test
    void defaultMatchersAreLeftToPac4jForEachRequest() {
        ResolvedOnceCheckers.Matching checker = new ResolvedOnceCheckers.Matching();
        CallContext ctx = new CallContext(MockWebContext.create(), new MockSessionStore());

        List<Matcher> first = checker.computeMatchers(ctx, "", Map.of(), List.of());

        assertTrue(!first.isEmpty(), "pac4j's default matchers");
        assertTrue(first != checker.computeMatchers(ctx, "", Map.of(), List.of()), "computed again");
    }
}
