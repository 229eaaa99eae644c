package dev.forwardauth.security.session;

import org.pac4j.core.util.Pac4jConstants;

/**
 * Which of our cookies (if any) a pac4j session key belongs to. pac4j names the OIDC login values
 * {@code <clientName>$stateSessionParameter} etc. (IndirectClient); the client name is kept so that only the
 * client that started a login can read its values back.
 */
record SessionKey(Kind kind, String clientName) {

    enum Kind { PROFILES, REQUESTED_URL, STATE, NONCE, CODE_VERIFIER, REQUEST_ONLY }

    private static final String STATE_SUFFIX = "$stateSessionParameter";
    private static final String NONCE_SUFFIX = "$nonceSessionParameter";
    private static final String CODE_VERIFIER_SUFFIX = "$codeVerifierSessionParameter";

    static SessionKey of(String key) {
        if (Pac4jConstants.USER_PROFILES.equals(key)) {
            return new SessionKey(Kind.PROFILES, null);
        }
        if (Pac4jConstants.REQUESTED_URL.equals(key)) {
            return new SessionKey(Kind.REQUESTED_URL, null);
        }
        if (key.endsWith(STATE_SUFFIX)) {
            return new SessionKey(Kind.STATE, key.substring(0, key.length() - STATE_SUFFIX.length()));
        }
        if (key.endsWith(NONCE_SUFFIX)) {
            return new SessionKey(Kind.NONCE, key.substring(0, key.length() - NONCE_SUFFIX.length()));
        }
        if (key.endsWith(CODE_VERIFIER_SUFFIX)) {
            return new SessionKey(Kind.CODE_VERIFIER, key.substring(0, key.length() - CODE_VERIFIER_SUFFIX.length()));
        }
        // CSRF tokens, "$attemptedAuthentication" and anything else: see CookieSessionStore.
        return new SessionKey(Kind.REQUEST_ONLY, null);
    }
}
