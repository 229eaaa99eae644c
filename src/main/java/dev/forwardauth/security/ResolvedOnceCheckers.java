package dev.forwardauth.security;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pac4j.core.authorization.authorizer.Authorizer;
import org.pac4j.core.authorization.checker.DefaultAuthorizationChecker;
import org.pac4j.core.client.Client;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.matching.checker.DefaultMatchingChecker;
import org.pac4j.core.matching.matcher.Matcher;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.core.util.Pac4jConstants;

/**
 * pac4j's checkers turn the security filter's matcher and authorizer names into objects on every request
 * (split on commas, trim, a case-insensitive scan of the configured map). Ours are fixed once the webapp is
 * built, so each names string is resolved once and the result kept. Only explicit lists are kept: an empty
 * value or one starting with {@code +} adds pac4j's defaults, which depend on the request's clients.
 */
final class ResolvedOnceCheckers {
    private ResolvedOnceCheckers() {
    }

    private static boolean explicit(String names) {
        return names != null && !names.isBlank() && !names.trim().startsWith(Pac4jConstants.ADD_ELEMENT);
    }

    static final class Authorization extends DefaultAuthorizationChecker {
        // One entry per names string of our filters' configuration: a handful at most.
        private final Map<String, List<Authorizer>> resolved = new ConcurrentHashMap<>();

        @Override
        protected List<Authorizer> computeAuthorizers(WebContext context, List<UserProfile> profiles, String names,
                                                      Map<String, Authorizer> authorizers, List<Client> clients) {
            if (!explicit(names)) {
                return super.computeAuthorizers(context, profiles, names, authorizers, clients);
            }
            return resolved.computeIfAbsent(names,
                    value -> List.copyOf(super.computeAuthorizers(context, profiles, value, authorizers, clients)));
        }
    }

    static final class Matching extends DefaultMatchingChecker {
        private final Map<String, List<Matcher>> resolved = new ConcurrentHashMap<>();

        @Override
        protected List<Matcher> computeMatchers(CallContext ctx, String names, Map<String, Matcher> matchers,
                                                List<Client> clients) {
            if (!explicit(names)) {
                return super.computeMatchers(ctx, names, matchers, clients);
            }
            return resolved.computeIfAbsent(names,
                    value -> List.copyOf(super.computeMatchers(ctx, value, matchers, clients)));
        }
    }
}
