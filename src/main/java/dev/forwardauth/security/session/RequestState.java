package dev.forwardauth.security.session;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.profile.UserProfile;

/**
 * One request's view of the session: what the browser sent (decoded at most once) and what this request
 * changed, kept as a request attribute until {@link CookieSessionStore#commit} turns it into Set-Cookie
 * headers. Requests are handled by one thread at a time, so no synchronisation is needed.
 */
final class RequestState {

    static final String ATTRIBUTE = RequestState.class.getName();

    final IncomingCookies incoming;

    // The session cookie, decoded on first use.
    boolean sessionRead;
    SessionData incomingSession;
    LinkedHashMap<String, UserProfile> incomingProfiles;

    // Set by pac4j in this request (login, renewal, logout).
    boolean profilesChanged;
    LinkedHashMap<String, UserProfile> profiles;
    boolean destroyed;

    // A login started in this request, written as a new pending-login cookie at commit.
    LoginDraft draft;
    // Pending logins looked up by state in this request; each one read is used up (deleted at commit).
    final Map<String, Optional<PendingLoginData>> pendingByState = new HashMap<>();
    final Set<String> consumedPendingCookies = new LinkedHashSet<>();
    // This request is the callback of a valid login: a profile saved now starts a new session period.
    boolean validLoginUsed;

    final Map<String, Object> requestOnly = new HashMap<>();
    String sessionId;
    boolean committed;

    RequestState(IncomingCookies incoming) {
        this.incoming = incoming;
    }

    boolean changed() {
        return profilesChanged || destroyed || draft != null || !consumedPendingCookies.isEmpty();
    }

    /** The values pac4j sets while it builds the redirect to the IdP; the state names the cookie. */
    static final class LoginDraft {
        String appName;
        String clientName;
        String state;
        String nonce;
        String codeVerifier;
        String requestedUrl;

        LoginDraft(String appName) {
            this.appName = appName;
        }
    }
}
