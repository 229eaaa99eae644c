package dev.forwardauth.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration, validated and immutable; what the rest of forwardauth reads. A class rather
 * than a record only because it also holds the host index {@link #appFor} needs, built once here.
 */
public final class ForwardAuthConfig {
    public static final Duration DEFAULT_NONCE_MAX_AGE = Duration.ofSeconds(300);
    public static final Duration DEFAULT_SESSION_MAX_AGE = Duration.ofSeconds(43_200);
    /**
     * A login that takes more than a day is not a login: the pending-login cookie would outlive any IdP's
     * own login page, and a larger number only risks overflowing the expiry instant.
     */
    public static final long MAX_NONCE_MAX_AGE_SECONDS = 86_400;
    /**
     * One year: longer than any refresh token lives at Auth0 (or elsewhere) by default, and far from the
     * instants and cookie Max-Age a larger number would overflow at sign-in.
     */
    public static final long MAX_SESSION_MAX_AGE_SECONDS = 31_536_000;
    /** The permission the original's admin page asked for; the status page asks for the same by default. */
    public static final String DEFAULT_STATUS_PERMISSION = "admin:forwardauth";
    public static final List<Cidr> DEFAULT_TRUSTED_PROXIES = List.of(
            Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"), Cidr.parse("10.0.0.0/8"),
            Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"), Cidr.parse("fc00::/7"));

    private final URI domain;
    private final Endpoints endpoints;
    private final IdpLimits idpLimits;
    private final Duration nonceMaxAge;
    private final List<Cidr> trustedProxies;
    private final String sessionSecret;
    private final Duration sessionMaxAge;
    private final String statusPermission;
    private final Optional<AppConfig> defaultApp;
    private final List<AppConfig> apps;
    private final HostIndex hosts;
    private final boolean metrics;
    private final DecisionLogLevel decisionLog;

    /** The IdP endpoints the config overrides; each null when discovery provides it. */
    public record Endpoints(URI authorizeUrl, URI tokenEndpoint, URI userinfoEndpoint, URI logoutEndpoint,
            URI jwksUri) {
        public static final Endpoints NONE = new Endpoints(null, null, null, null, null);
    }

    /**
     * How long forwardauth waits for the IdP, and how many requests may wait for it at once (the rest get 503
     * at once): the threads that wait are the ones that also answer sessions and bearer tokens.
     */
    public record IdpLimits(Duration connectTimeout, Duration readTimeout, int maxConcurrentCalls) {
        public static final long MAX_TIMEOUT_SECONDS = 300;
        public static final Duration MAX_TIMEOUT = Duration.ofSeconds(MAX_TIMEOUT_SECONDS);
        public static final int MAX_CONCURRENT_CALLS = 10_000;
        public static final IdpLimits DEFAULT = new IdpLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), 32);

        public IdpLimits {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(readTimeout, "readTimeout");
            if (maxConcurrentCalls < 1) {
                throw new IllegalArgumentException("maxConcurrentCalls must be at least 1");
            }
        }
    }

    public ForwardAuthConfig(URI domain, Endpoints endpoints, IdpLimits idpLimits, Duration nonceMaxAge,
            List<Cidr> trustedProxies, String sessionSecret, Duration sessionMaxAge, String statusPermission,
            Optional<AppConfig> defaultApp, List<AppConfig> apps, boolean metrics, DecisionLogLevel decisionLog) {
        this.metrics = metrics;
        this.decisionLog = Objects.requireNonNull(decisionLog, "decisionLog");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.idpLimits = Objects.requireNonNull(idpLimits, "idpLimits");
        this.nonceMaxAge = Objects.requireNonNull(nonceMaxAge, "nonceMaxAge");
        this.trustedProxies = List.copyOf(trustedProxies);
        this.sessionSecret = Objects.requireNonNull(sessionSecret, "sessionSecret");
        this.sessionMaxAge = Objects.requireNonNull(sessionMaxAge, "sessionMaxAge");
        this.statusPermission = Objects.requireNonNull(statusPermission, "statusPermission");
        this.defaultApp = Objects.requireNonNull(defaultApp, "defaultApp");
        this.apps = List.copyOf(apps);
        this.hosts = new HostIndex(defaultApp, this.apps);
    }

    public URI domain() {
        return domain;
    }

    /** {@code <domain>/.well-known/openid-configuration}, with exactly one slash between. */
    public URI discoveryUri() {
        String base = domain.toString();
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '/') {
            end--;
        }
        return URI.create(base.substring(0, end) + "/.well-known/openid-configuration");
    }

    public Optional<URI> authorizeUrl() {
        return Optional.ofNullable(endpoints.authorizeUrl());
    }

    public Optional<URI> tokenEndpoint() {
        return Optional.ofNullable(endpoints.tokenEndpoint());
    }

    public Optional<URI> userinfoEndpoint() {
        return Optional.ofNullable(endpoints.userinfoEndpoint());
    }

    public Optional<URI> logoutEndpoint() {
        return Optional.ofNullable(endpoints.logoutEndpoint());
    }

    public Optional<URI> jwksUri() {
        return Optional.ofNullable(endpoints.jwksUri());
    }

    /** idp-connect-timeout, idp-read-timeout and idp-max-concurrent-calls, defaults filled in. */
    public IdpLimits idpLimits() {
        return idpLimits;
    }

    public Duration nonceMaxAge() {
        return nonceMaxAge;
    }

    public List<Cidr> trustedProxies() {
        return trustedProxies;
    }

    public String sessionSecret() {
        return sessionSecret;
    }

    public Duration sessionMaxAge() {
        return sessionMaxAge;
    }

    /** The permission (in the session's access token) that opens the status page. */
    public String statusPermission() {
        return statusPermission;
    }

    /** Serves hosts no app names; empty means such hosts get no app (403, fail closed). */
    public Optional<AppConfig> defaultApp() {
        return defaultApp;
    }

    public List<AppConfig> apps() {
        return apps;
    }

    /** Whether {@code /metrics} is served (to trusted proxies' addresses only). */
    public boolean metrics() {
        return metrics;
    }

    /** Which /authorize decisions the decision log writes. */
    public DecisionLogLevel decisionLog() {
        return decisionLog;
    }

    /**
     * The app for an X-Forwarded-Host value (port, trailing dot and case ignored): the exact name, else
     * the longest matching wildcard, else {@link #defaultApp()}.
     */
    public Optional<AppConfig> appFor(String forwardedHost) {
        return hosts.appFor(forwardedHost);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ForwardAuthConfig that && domain.equals(that.domain)
                && endpoints.equals(that.endpoints) && idpLimits.equals(that.idpLimits) && nonceMaxAge.equals(that.nonceMaxAge)
                && trustedProxies.equals(that.trustedProxies) && sessionSecret.equals(that.sessionSecret)
                && sessionMaxAge.equals(that.sessionMaxAge)
                && statusPermission.equals(that.statusPermission) && defaultApp.equals(that.defaultApp)
                && apps.equals(that.apps) && metrics == that.metrics && decisionLog == that.decisionLog;
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, endpoints, idpLimits, nonceMaxAge, trustedProxies, sessionSecret, sessionMaxAge,
                statusPermission, defaultApp, apps, metrics, decisionLog);
    }

    @Override
    public String toString() {
        return "ForwardAuthConfig[domain=" + domain + ", endpoints=" + endpoints + ", idpLimits=" + idpLimits
                + ", nonceMaxAge=" + nonceMaxAge
                + ", trustedProxies=" + trustedProxies + ", sessionSecret=" + Secrets.mask(sessionSecret)
                + ", sessionMaxAge=" + sessionMaxAge + ", statusPermission=" + statusPermission
                + ", defaultApp=" + defaultApp + ", apps=" + apps + ", metrics=" + metrics
                + ", decisionLog=" + decisionLog + "]";
    }
}
