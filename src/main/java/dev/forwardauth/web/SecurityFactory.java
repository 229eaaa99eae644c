package dev.forwardauth.web;

import dev.forwardauth.config.ForwardAuthConfig;
import dev.forwardauth.ops.ForwardAuthMetrics;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.IdentityProvider;
import java.time.Clock;

/**
 * Builds the whole security for one configuration, with its own pac4j action adapter (the adapter answers
 * for the security it belongs to). At start-up and on every reload; a reload passes the security it
 * replaces, whose identity provider is kept when the configuration names the same one.
 */
final class SecurityFactory {
    private final OutcomeWriter writer;
    private final Clock clock;
    private final ForwardAuthMetrics metrics;

    SecurityFactory(OutcomeWriter writer, Clock clock, ForwardAuthMetrics metrics) {
        this.writer = writer;
        this.clock = clock;
        this.metrics = metrics;
    }

    ForwardAuthSecurity build(ForwardAuthConfig config, ForwardAuthSecurity previous) {
        IdentityProvider idp = ForwardAuthSecurity.identityProvider(config, clock, previous, metrics);
        Pac4jActionAdapter adapter = new Pac4jActionAdapter(writer);
        ForwardAuthSecurity security = new ForwardAuthSecurity(config, idp, ForwardAuthSecurity.timeouts(config),
                adapter, clock, metrics);
        adapter.bind(security);
        // New apps get their counters before the first request can name them; caches are watched from now.
        metrics.register(config);
        metrics.watch(security);
        return security;
    }
}
