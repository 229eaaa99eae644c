package dev.forwardauth.security.token;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An access token that passed every check. It holds claims, never the token itself, so logging or caching it
 * cannot leak a credential. {@code scope}, {@code scp} and {@code permissions} are raw JSON values (a String, a
 * List, or null); interpreting them is the policy's job. Deeply immutable, because cached entries are shared
 * between request threads.
 */
public record ValidatedAccessToken(
        String subject,
        Instant expiresAt,
        Instant issuedAt,
        List<String> audience,
        Object scope,
        Object scp,
        Object permissions,
        Map<String, Object> claims) {

    public ValidatedAccessToken {
        Objects.requireNonNull(expiresAt, "expiresAt");
        audience = List.copyOf(audience);
        scope = frozen(scope);
        scp = frozen(scp);
        permissions = frozen(permissions);
        claims = frozenMap(claims);
    }

    static ValidatedAccessToken of(JWTClaimsSet claims) {
        // toJSONObject gives times as epoch seconds, as any JSON library would; the typed getters give Dates.
        Map<String, Object> json = claims.toJSONObject();
        return new ValidatedAccessToken(
                claims.getSubject(),
                claims.getExpirationTime().toInstant(),
                claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant(),
                claims.getAudience(),
                json.get("scope"),
                json.get("scp"),
                json.get("permissions"),
                json);
    }

    private static Map<String, Object> frozenMap(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(key, frozen(value)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object frozen(Object value) {
        if (value instanceof Map<?, ?> map) {
            return frozenMap((Map<String, ?>) map);
        }
        if (value instanceof List<?> list) {
            // Not List.copyOf: JSON arrays may contain null.
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(frozen(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
