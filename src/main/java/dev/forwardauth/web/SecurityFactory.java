package dev.forwardauth.web;

import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.IdentityProvider;
import dev.forwardauth.security.token.HttpTimeouts;
import java.time.Clock;

/**
 * Builds the whole security for one configuration, with its own pac4j action adapter (the adapter answers
 * for the security it belongs to). At start-up and on every reload; a reload passes the security it
 * replaces, whose identity provider is kept when the configuration names the same one.
 */
final class SecurityFactory {
    private final OutcomeWriter writer;
    private final HttpTimeouts timeouts;
    private final Clock clock;

    SecurityFactory(OutcomeWriter writer, HttpTimeouts timeouts, Clock clock) {
        this.writer = writer;
        this.timeouts = timeouts;
        this.clock = clock;
    }

    ForwardAuthSecurity build(ForwardAuthConfig config, ForwardAuthSecurity previous) {
        IdentityProvider idp = ForwardAuthSecurity.identityProvider(config, timeouts, clock, previous);
        Pac4jActionAdapter adapter = new Pac4jActionAdapter(writer);
        ForwardAuthSecurity security = new ForwardAuthSecurity(config, idp, timeouts, adapter, clock);
        adapter.bind(security);
        return security;
    }
}
