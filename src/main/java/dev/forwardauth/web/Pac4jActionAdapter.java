package dev.forwardauth.web;

import dev.forwardauth.policy.Verdict;
import dev.forwardauth.security.BasicAuthClient;
import dev.forwardauth.security.BearerTokenClient;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.PolicyAuthorizer;
import dev.forwardauth.security.RedirectTargets;
import dev.forwardauth.security.RequestScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.exception.http.ForbiddenAction;
import org.pac4j.core.exception.http.HttpAction;
import org.pac4j.core.exception.http.UnauthorizedAction;
import org.pac4j.core.exception.http.WithLocationAction;
import org.pac4j.core.http.adapter.HttpActionAdapter;
import org.pac4j.jee.context.JEEContext;

/**
 * pac4j's answers (redirect to the IdP, 401, 403, the return after /signin) become our {@link Outcome}s
 * here, so they go through the same writer as everything else. Cookies are committed first: the pending
 * login rides on the 307, the new session on the 302 after /signin.
 */
final class Pac4jActionAdapter implements HttpActionAdapter {
    private ForwardAuthSecurity security;
    private final OutcomeWriter writer;

    Pac4jActionAdapter(OutcomeWriter writer) {
        this.writer = writer;
    }

    /** Set once the security it adapts for is built (pac4j's Config needs the adapter first). */
    void bind(ForwardAuthSecurity security) {
        this.security = security;
    }

    @Override
    public Object adapt(HttpAction action, WebContext context) {
        JEEContext jee = (JEEContext) context;
        HttpServletRequest request = jee.getNativeRequest();
        HttpServletResponse response = jee.getNativeResponse();
        Outcome outcome = outcomeOf(action, request);
        Cookies.commit(security, context, request);
        try {
            writer.write(request, response, outcome);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    private Outcome outcomeOf(HttpAction action, HttpServletRequest request) {
        RequestScope scope = (RequestScope) request.getAttribute(RequestScope.ATTRIBUTE);
        if (action instanceof WithLocationAction redirect) {
            return redirect(request, redirect.getLocation());
        }
        if (action instanceof UnauthorizedAction) {
            // A Basic challenge makes browsers show their own password dialog: never for a script's XHR.
            boolean offerBasic = scope != null && scope.app().config().allowBasic()
                    && request.getHeader("X-Requested-With") == null;
            return new Outcome.Unauthenticated(scope == null ? null : scope.startUrl(),
                    (String) request.getAttribute(BearerTokenClient.TOKEN_ERROR_ATTRIBUTE),
                    (String) request.getAttribute(BasicAuthClient.ERROR_ATTRIBUTE), offerBasic);
        }
        if (action instanceof ForbiddenAction) {
            Verdict.Missing missing = (Verdict.Missing) request.getAttribute(PolicyAuthorizer.MISSING_ATTRIBUTE);
            if (missing == null || scope == null) {
                return Outcome.Forbidden.because("access denied");
            }
            // The user is signed in: say which rule asked for what the token lacks (the policy's own reason
            // text, "requires login", is for the decision log).
            String reason = "you are signed in, but " + scope.requirement().rule()
                    .map(rule -> "rule " + rule.describe()).orElse("this app")
                    + " needs more than your access token grants";
            return new Outcome.Forbidden(reason, missing.scopes(), missing.permissions());
        }
        return new Outcome.Refused(action.getCode() >= 400 && action.getCode() < 500 ? action.getCode() : 400,
                "Request refused", "the request could not be completed (status " + action.getCode() + ")");
    }

    private Outcome redirect(HttpServletRequest request, String location) {
        Object status = request.getAttribute(RequestAttributes.REDIRECT_STATUS);
        String target = location;
        if (Boolean.TRUE.equals(request.getAttribute(RequestAttributes.CHECK_REDIRECT))) {
            // The return URL was checked when the login started and came back sealed in our cookie; check it
            // again anyway, since configuration may have changed in between.
            RedirectTargets.Checked checked = security.redirectTargets().check(location);
            if (!checked.safe()) {
                return new Outcome.Refused(400, "Sign-in finished", "You are signed in, but " + checked.problem()
                        + ", so forwardauth will not send you there.");
            }
            target = checked.url();
        }
        return new Outcome.Redirect(status instanceof Integer code ? code : 302, target);
    }

}
