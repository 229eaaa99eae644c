package dev.forwardauth.security.machine;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A machine client's id and secret as it sent them in {@code Authorization: Basic}. Lives for one request;
 * what outlives it is keyed by {@link CredentialKeys}, never by the secret. {@link #toString()} names the
 * client id only, so a log line or a debugger never shows the secret.
 */
public record ClientCredentials(String clientId, String secret) {
    private static final String SCHEME = "Basic ";

    public ClientCredentials {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(secret, "secret");
    }

    /** True when the header uses the Basic scheme (case-insensitive, RFC 7617), well-formed or not. */
    public static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * The pair from {@code Basic base64(client-id:client-secret)}: split at the first colon (RFC 7617), UTF-8.
     * Empty when the header is no Basic header, is not base64, has no colon, or either part is empty: none
     * of those can be a client of the IdP, so they never reach it.
     */
    public static Optional<ClientCredentials> fromBasicHeader(String authorization) {
        if (!isBasic(authorization)) {
            return Optional.empty();
        }
        String decoded;
        try {
            byte[] bytes = Base64.getDecoder().decode(authorization.substring(SCHEME.length()).trim());
            decoded = new String(bytes, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new ClientCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return "ClientCredentials[clientId=" + clientId + ", secret=***]";
    }
}
