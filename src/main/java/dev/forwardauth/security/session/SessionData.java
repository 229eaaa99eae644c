package dev.forwardauth.security.session;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything the session cookie carries, and nothing more: the profile is rebuilt from the ID token on each
 * request rather than stored, so the cookie holds each claim once (inside the token) and a profile attribute
 * can never be planted without a token signed by the IdP having been accepted first.
 *
 * <p>{@code loginAt} survives silent renewals so that {@code expiresAt} never moves past
 * {@code loginAt + session-max-age}. {@code accessTokenExpiresAt} is null when the IdP gave no lifetime.
 */
record SessionData(
        String clientName,
        String profileId,
        String idToken,
        String accessToken,
        Instant accessTokenExpiresAt,
        int tokenExpirationAdvance,
        String refreshToken,
        Instant loginAt,
        Instant expiresAt) {

    private static final long NO_EXPIRY = Long.MIN_VALUE;

    byte[] toBytes() {
        return new Payload.Writer(loginAt, expiresAt)
                .string(clientName)
                .string(profileId)
                .string(idToken)
                .string(accessToken)
                .longValue(accessTokenExpiresAt == null ? NO_EXPIRY : accessTokenExpiresAt.toEpochMilli())
                .intValue(tokenExpirationAdvance)
                .string(refreshToken)
                .toBytes();
    }

    static Optional<SessionData> fromBytes(byte[] plaintext) {
        Optional<Payload.Reader> opened = Payload.Reader.of(plaintext);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Payload.Reader in = opened.get();
        try {
            String clientName = in.string();
            String profileId = in.string();
            String idToken = in.string();
            String accessToken = in.string();
            long accessTokenExpiry = in.longValue();
            int advance = in.intValue();
            String refreshToken = in.string();
            if (!in.fullyRead() || clientName == null || profileId == null) {
                return Optional.empty();
            }
            Instant accessTokenExpiresAt = accessTokenExpiry == NO_EXPIRY ? null : Instant.ofEpochMilli(accessTokenExpiry);
            return Optional.of(new SessionData(clientName, profileId, idToken, accessToken, accessTokenExpiresAt,
                    advance, refreshToken, in.issuedAt(), in.expiresAt()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    // Tokens are credentials: a record's generated toString would print them into any log line that
    // mentions the session.
    @Override
    public String toString() {
        return "SessionData[client=" + clientName + ", profile=" + profileId + ", loginAt=" + loginAt
                + ", expiresAt=" + expiresAt + ", accessTokenExpiresAt=" + accessTokenExpiresAt
                + ", refreshToken=" + (refreshToken != null) + "]";
    }
}
