package dev.forwardauth.web;

import dev.forwardauth.security.Identity;
import java.util.List;

/**
 * What forwardauth answers, as a type. Every servlet and filter decides an Outcome; {@link OutcomeWriter}
 * alone turns it into status, headers and body, so the contract in SPEC section 4 lives in one place.
 */
public sealed interface Outcome {

    /** 200. {@code identity} is null for an anonymous pass. */
    record Allow(Identity identity) implements Outcome {
    }

    /** A redirect the browser follows: 307 to the IdP from /authorize and /start, 302 after /signin. */
    record Redirect(int status, String location) implements Outcome {
    }

    /**
     * 401 for API clients, XHR and nginx: {@code startUrl} goes into Location so a browser-side script (or
     * nginx's error_page) can send the user to /start; {@code tokenError} is set when a bearer token was
     * sent and refused, for WWW-Authenticate's error_description; {@code credentialsError} when Basic client
     * credentials were sent and refused. {@code offerBasic}: the app accepts Basic credentials (allow-basic),
     * so the answer challenges for them too, as HTTP clients such as Maven wait for before they send any.
     */
    record Unauthenticated(String startUrl, String tokenError, String credentialsError, boolean offerBasic)
            implements Outcome {
        public Unauthenticated(String startUrl, String tokenError) {
            this(startUrl, tokenError, null, false);
        }
    }

    /** 403: signed in but lacking what the rule or app requires, or a deny rule, or an untrusted peer. */
    record Forbidden(String reason, List<String> missingScopes, List<String> missingPermissions) implements Outcome {
        public static Forbidden because(String reason) {
            return new Forbidden(reason, List.of(), List.of());
        }
    }

    /** 4xx with a message naming what was wrong with the request (a header, a parameter, a login). */
    record Refused(int status, String title, String message) implements Outcome {
    }

    /** 200 with a short page (e.g. "you are signed out"). */
    record Notice(String title, String message) implements Outcome {
    }

    /** 405 for a method this route does not answer, with {@code Allow} listing the ones it does. */
    record MethodNotAllowed(List<String> allowed) implements Outcome {
    }

    /** 503: the identity provider was needed and could not be reached. Never a 2xx. */
    record Unavailable(String message) implements Outcome {
    }
}
