package dev.forwardauth.security.token;

import com.nimbusds.jwt.proc.BadJWTException;

/**
 * Thrown from inside Nimbus's processor (type and claims verifiers) with the user-safe reason, so that the
 * validator maps failures by type and never has to parse Nimbus's English messages.
 */
final class TokenRejectedException extends BadJWTException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_ECHO = 40;

    private final TokenCheck check;

    TokenRejectedException(String reason) {
        this(TokenCheck.CLAIMS, reason);
    }

    TokenRejectedException(TokenCheck check, String reason) {
        super(reason);
        this.check = check;
    }

    TokenCheck check() {
        return check;
    }

    /**
     * Header values are attacker-chosen and end up in response bodies and logs: keep them short and printable,
     * so an echoed value cannot inject lines or bloat a log.
     */
    static String echo(String untrusted) {
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < untrusted.length() && safe.length() < MAX_ECHO; i++) {
            char c = untrusted.charAt(i);
            safe.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return untrusted.length() > MAX_ECHO ? safe + "..." : safe.toString();
    }
}
