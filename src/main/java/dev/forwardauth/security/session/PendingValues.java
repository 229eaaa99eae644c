package dev.forwardauth.security.session;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.util.Optional;
import org.pac4j.core.exception.http.WithLocationAction;

/**
 * The login values pac4j stores, in the types pac4j 6.2.2 uses: a Nimbus {@link State} for the state
 * (OidcRedirectionActionBuilder / OidcCredentialsExtractor), a String for the nonce (OidcProfileCreator), a
 * {@link CodeVerifier} for PKCE (OidcAuthenticator) and a String for the requested URL
 * (DefaultSavedRequestHandler; a redirect action is kept as its location). The cookie holds their text.
 */
final class PendingValues {

    private PendingValues() {
    }

    /** False when the value has a type the cookie cannot carry; it then stays in the request only. */
    static boolean set(RequestState state, SessionKey key, Object value) {
        String text = asText(key.kind(), value);
        if (text == null) {
            return false;
        }
        if (state.draft == null) {
            state.draft = new RequestState.LoginDraft(null);
        }
        if (key.clientName() != null) {
            state.draft.clientName = key.clientName();
        }
        assign(state.draft, key.kind(), text);
        return true;
    }

    static void clear(RequestState state, SessionKey key) {
        if (state.draft != null) {
            assign(state.draft, key.kind(), null);
        }
    }

    static Optional<Object> fromDraft(RequestState.LoginDraft draft, SessionKey key) {
        if (!sameClient(key, draft.clientName)) {
            return Optional.empty();
        }
        return typed(key.kind(), switch (key.kind()) {
            case STATE -> draft.state;
            case NONCE -> draft.nonce;
            case CODE_VERIFIER -> draft.codeVerifier;
            default -> draft.requestedUrl;
        });
    }

    // The client name is part of pac4j's key: a login started by one app's client cannot be finished by
    // another app's client, whose IdP settings (client id, audience) differ.
    static Optional<Object> fromLogin(PendingLoginData login, SessionKey key) {
        if (!sameClient(key, login.clientName())) {
            return Optional.empty();
        }
        return typed(key.kind(), switch (key.kind()) {
            case STATE -> login.state();
            case NONCE -> login.nonce();
            case CODE_VERIFIER -> login.codeVerifier();
            default -> login.requestedUrl();
        });
    }

    private static boolean sameClient(SessionKey key, String clientName) {
        return key.clientName() == null || key.clientName().equals(clientName);
    }

    private static String asText(SessionKey.Kind kind, Object value) {
        if (value instanceof String text) {
            return text;
        }
        return switch (kind) {
            case STATE -> value instanceof State state ? state.getValue() : null;
            case NONCE -> value instanceof Nonce nonce ? nonce.getValue() : null;
            case CODE_VERIFIER -> value instanceof CodeVerifier verifier ? verifier.getValue() : null;
            case REQUESTED_URL -> value instanceof WithLocationAction action ? action.getLocation() : null;
            default -> null;
        };
    }

    private static Optional<Object> typed(SessionKey.Kind kind, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(switch (kind) {
                case STATE -> new State(text);
                case CODE_VERIFIER -> new CodeVerifier(text);
                default -> text;
            });
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void assign(RequestState.LoginDraft draft, SessionKey.Kind kind, String text) {
        switch (kind) {
            case STATE -> draft.state = text;
            case NONCE -> draft.nonce = text;
            case CODE_VERIFIER -> draft.codeVerifier = text;
            case REQUESTED_URL -> draft.requestedUrl = text;
            default -> throw new IllegalArgumentException("not a login value: " + kind);
        }
    }
}
