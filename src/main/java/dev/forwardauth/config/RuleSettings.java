package dev.forwardauth.config;

import jakarta.json.bind.annotation.JsonbProperty;
import java.util.List;

/** One entry of an app's {@code rules}, exactly as written; every component nullable (= unset). */
public record RuleSettings(
        String path,
        List<String> methods,
        String allow,
        @JsonbProperty("required-scopes") List<String> requiredScopes,
        @JsonbProperty("required-permissions") List<String> requiredPermissions) {
}
