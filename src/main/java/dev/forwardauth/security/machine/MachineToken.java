package dev.forwardauth.security.machine;

import dev.forwardauth.security.token.ValidatedAccessToken;

/**
 * An access token obtained for a machine client and validated for the app, exactly as a bearer token the
 * client had sent itself would be: {@code raw} goes upstream, {@code validated} feeds the policy.
 */
public record MachineToken(String raw, ValidatedAccessToken validated) {
    @Override
    public String toString() {
        return "MachineToken[raw=***, subject=" + validated.subject() + ", expiresAt=" + validated.expiresAt() + "]";
    }
}
