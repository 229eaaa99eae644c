package dev.forwardauth.config;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/**
 * The top level of the config file exactly as written (after environment substitution). Every component
 * is nullable: absent and JSON null both mean "unset". The component names and their {@code @JsonbProperty}
 * values are the only definition of the keys; {@link ConfigKeys} reads them for checking and docs. Number keys
 * carry their {@link Limits}.
 */
public record ConfigFile(
        String domain,
        @JsonbProperty("authorize-url") String authorizeUrl,
        @JsonbProperty("token-endpoint") String tokenEndpoint,
        @JsonbProperty("userinfo-endpoint") String userinfoEndpoint,
        @JsonbProperty("logout-endpoint") String logoutEndpoint,
        @JsonbProperty("jwks-uri") String jwksUri,
        @JsonbProperty("idp-connect-timeout")
        @Limits(min = 1, max = ForwardAuthConfig.IdpLimits.MAX_TIMEOUT_SECONDS, unit = "seconds")
        Long idpConnectTimeout,
        @JsonbProperty("idp-read-timeout")
        @Limits(min = 1, max = ForwardAuthConfig.IdpLimits.MAX_TIMEOUT_SECONDS, unit = "seconds")
        Long idpReadTimeout,
        @JsonbProperty("idp-max-concurrent-calls")
        @Limits(min = 1, max = ForwardAuthConfig.IdpLimits.MAX_CONCURRENT_CALLS) Long idpMaxConcurrentCalls,
        @JsonbProperty("nonce-max-age")
        @Limits(min = 1, max = ForwardAuthConfig.MAX_NONCE_MAX_AGE_SECONDS, unit = "seconds") Long nonceMaxAge,
        @JsonbProperty("trusted-proxies") List<String> trustedProxies,
        @JsonbProperty("session-secret") String sessionSecret,
        @JsonbProperty("session-max-age")
        @Limits(min = 1, max = ForwardAuthConfig.MAX_SESSION_MAX_AGE_SECONDS, unit = "seconds") Long sessionMaxAge,
        @JsonbProperty("status-permission") String statusPermission,
        @JsonbProperty("default") AppSettings defaultApp,
        List<AppSettings> apps,
        Boolean metrics,
        @JsonbProperty("decision-log") String decisionLog) {

    @Override
    public String toString() {
        return "ConfigFile[domain=" + domain + ", authorize-url=" + authorizeUrl
                + ", token-endpoint=" + tokenEndpoint + ", userinfo-endpoint=" + userinfoEndpoint
                + ", logout-endpoint=" + logoutEndpoint + ", jwks-uri=" + jwksUri
                + ", idp-connect-timeout=" + idpConnectTimeout + ", idp-read-timeout=" + idpReadTimeout
                + ", idp-max-concurrent-calls=" + idpMaxConcurrentCalls
                + ", nonce-max-age=" + nonceMaxAge + ", trusted-proxies=" + trustedProxies
                + ", session-secret=" + Secrets.mask(sessionSecret) + ", session-max-age=" + sessionMaxAge
                + ", status-permission=" + statusPermission + ", default=" + defaultApp + ", apps=" + apps
                + ", metrics=" + metrics + ", decision-log=" + decisionLog + "]";
    }
}
