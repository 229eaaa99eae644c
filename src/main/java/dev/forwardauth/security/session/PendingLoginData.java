package dev.forwardauth.security.session;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One login under way, as its own cookie carries it: what pac4j needs to finish the callback (state, nonce,
 * PKCE verifier, the URL to return to) plus which app and which pac4j client started it, so a callback can
 * only be finished by the client that began it.
 */
record PendingLoginData(
        String clientName,
        String appName,
        String state,
        String nonce,
        String codeVerifier,
        String requestedUrl,
        Instant startedAt,
        Instant expiresAt) {

    byte[] toBytes() {
        return new Payload.Writer(startedAt, expiresAt)
                .string(clientName)
                .string(appName)
                .string(state)
                .string(nonce)
                .string(codeVerifier)
                .string(requestedUrl)
                .toBytes();
    }

    static Optional<PendingLoginData> fromBytes(byte[] plaintext) {
        Optional<Payload.Reader> opened = Payload.Reader.of(plaintext);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Payload.Reader in = opened.get();
        try {
            String clientName = in.string();
            String appName = in.string();
            String state = in.string();
            String nonce = in.string();
            String codeVerifier = in.string();
            String requestedUrl = in.string();
            if (!in.fullyRead() || state == null) {
                return Optional.empty();
            }
            return Optional.of(new PendingLoginData(clientName, appName, state, nonce, codeVerifier, requestedUrl,
                    in.issuedAt(), in.expiresAt()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    PendingLoginData withRequestedUrl(String url) {
        return new PendingLoginData(clientName, appName, state, nonce, codeVerifier, url, startedAt, expiresAt);
    }

    boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    // The nonce and the PKCE verifier are secrets until the callback completes.
    @Override
    public String toString() {
        return "PendingLoginData[client=" + clientName + ", app=" + appName + ", startedAt=" + startedAt
                + ", expiresAt=" + expiresAt + "]";
    }
}
