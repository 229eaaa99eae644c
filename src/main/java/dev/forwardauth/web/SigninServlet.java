package dev.forwardauth.web;

import dev.forwardauth.config.AppConfig;
import dev.forwardauth.ops.ForwardAuthMetrics;
import dev.forwardauth.ops.LoginFailure;
import dev.forwardauth.security.AppSecurity;
import dev.forwardauth.security.ForwardAuthSecurity;
import dev.forwardauth.security.IdpUnavailableError;
import dev.forwardauth.security.LiveSecurity;
import dev.forwardauth.security.LoginFailedException;
import dev.forwardauth.security.session.PendingLogin;
import dev.forwardauth.security.session.UsedStates;
import dev.forwardauth.security.token.IdpCalls;
import dev.forwardauth.security.token.IdpUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.pac4j.jee.context.JEEContext;
import org.pac4j.jee.context.JEEFrameworkParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OIDC callback. The login this state belongs to is looked up first (in its own pending-login
 * cookie, so logins in several tabs do not disturb each other); pac4j then exchanges the code and
 * validates the ID token, and we validate the access token. Any failure is a readable 4xx page and no
 * session; a missing IdP is 503.
 */
final class SigninServlet extends GetOnlyServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SigninServlet.class);
    private static final int IDP_TEXT_LIMIT = 300;

    private final transient LiveSecurity live;
    private final transient ForwardAuthMetrics metrics;
    private final transient UsedStates usedStates;

    /** {@code usedStates} lives as long as the process: a reload must not forget which states were used. */
    SigninServlet(LiveSecurity live, OutcomeWriter writer, ForwardAuthMetrics metrics, UsedStates usedStates) {
        super(writer);
        this.live = live;
        this.metrics = metrics;
        this.usedStates = usedStates;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ForwardAuthSecurity security = live.current();
        JEEContext context = new JEEContext(request, response);
        String state = request.getParameter("state");
        String error = request.getParameter("error");
        if (state == null || state.isEmpty()) {
            if (error != null) {
                // A provider that fails before it reads the request (or one that drops state from errors, which
                // RFC 6749 4.1.2.1 requires only when the request had one) still says why: that is the news.
                metrics.loginFailed(null, LoginFailure.IDP_ERROR);
                refusedByIdp(security, request, response, context, error);
                return;
            }
            metrics.loginFailed(null, LoginFailure.STATE);
            fail(security, request, response, context, 400, "the identity provider's response has no state parameter");
            return;
        }
        PendingLogin login = security.sessionStore().lookup(context, state);
        Optional<AppSecurity> app = login.appName() == null ? Optional.empty()
                : security.appByClientName(login.appName());
        if (login.status() == PendingLogin.Status.UNKNOWN || app.isEmpty()) {
            metrics.loginFailed(null, LoginFailure.STATE);
            fail(security, request, response, context, 400, "this sign-in was not started in this browser, or it was"
                    + " already completed; go back to the page you wanted and try again");
            return;
        }
        request.setAttribute(AppSecurity.ATTRIBUTE, app.get());
        request.setAttribute(RequestAttributes.SECURE, returnsToHttps(login, request, security));
        AppConfig appConfig = app.get().config();
        if (error != null) {
            metrics.loginFailed(appConfig, LoginFailure.IDP_ERROR);
            security.sessionStore().endLogin(context, state);
            refusedByIdp(security, request, response, context, error);
            return;
        }
        if (login.status() == PendingLogin.Status.EXPIRED) {
            metrics.loginFailed(appConfig, LoginFailure.EXPIRED);
            security.sessionStore().endLogin(context, state);
            fail(security, request, response, context, 400, "the sign-in took longer than "
                    + security.config().nonceMaxAge().toSeconds() + " seconds; go back to the page you wanted"
                    + " and try again");
            return;
        }
        if (!firstUse(security, request, response, context, app.get(), login, state)) {
            return;
        }
        request.setAttribute(RequestAttributes.REDIRECT_STATUS, 302);
        request.setAttribute(RequestAttributes.CHECK_REDIRECT, Boolean.TRUE);
        // The code exchange runs on this request thread: it takes a place in the IdP bulkhead, or the answer
        // is 503 at once.
        try (IdpCalls.Permit permit = security.idp().calls().enter()) {
            app.get().requireIdp();
            security.pac4j().getCallbackLogic().perform(security.pac4j(), login.requestedUrl(), false, null,
                    new JEEFrameworkParameters(request, response));
            // pac4j answers through our adapter: the 302 back with the session, or a refusal it wrote itself.
            if (response.getStatus() == HttpServletResponse.SC_FOUND) {
                metrics.loginCompleted(appConfig);
            } else {
                metrics.loginFailed(appConfig, response.getStatus() == 503 ? LoginFailure.UNAVAILABLE
                        : LoginFailure.REJECTED);
            }
        } catch (IdpUnavailableException e) {
            metrics.loginFailed(appConfig, LoginFailure.UNAVAILABLE);
            LOG.warn("sign-in for {} needs the identity provider: {}", app.get().clientName(), e.getMessage());
            Cookies.commit(security, context, request);
            writer.write(request, response, new Outcome.Unavailable(e.getMessage()));
        } catch (IdpUnavailableError e) {
            metrics.loginFailed(appConfig, LoginFailure.UNAVAILABLE);
            LOG.warn("sign-in for {} needs the identity provider: {}", app.get().clientName(), e.getMessage());
            Cookies.commit(security, context, request);
            writer.write(request, response, new Outcome.Unavailable(e.getMessage()));
        } catch (LoginFailedException e) {
            metrics.loginFailed(appConfig, LoginFailure.REJECTED);
            LOG.info("sign-in for {} failed: {}", app.get().clientName(), e.getMessage());
            fail(security, request, response, context, 401, e.getMessage());
        } catch (RuntimeException e) {
            LoginErrors.Failure failure = LoginErrors.describe(e);
            metrics.loginFailed(appConfig, failure.status() == 503 ? LoginFailure.UNAVAILABLE : LoginFailure.REJECTED);
            LOG.info("sign-in for {} failed: {}", app.get().clientName(), failure.message());
            if (failure.status() == 503) {
                Cookies.commit(security, context, request);
                writer.write(request, response, new Outcome.Unavailable(failure.message()));
            } else {
                fail(security, request, response, context, failure.status(), failure.message());
            }
        }
    }

    // The pending-login cookie is gone from this browser after the callback, but a copy kept from before, with a
    // second code the IdP issued for the same state, would make a second session (docs/security.md: a pending
    // login works once). Marked before the code exchange, so two callbacks at once cannot both pass.
    private boolean firstUse(ForwardAuthSecurity security, HttpServletRequest request, HttpServletResponse response,
                             JEEContext context, AppSecurity app, PendingLogin login, String state) throws IOException {
        UsedStates.Use use = usedStates.use(state, login.expiresAt());
        if (use == UsedStates.Use.FIRST) {
            return true;
        }
        metrics.loginFailed(app.config(), LoginFailure.STATE);
        if (use == UsedStates.Use.AGAIN) {
            LOG.warn("sign-in for {} refused: its state was used before (a second callback for one login)",
                    app.clientName());
            fail(security, request, response, context, 400, "this sign-in was already completed (a sign-in works"
                    + " once); go back to the page you wanted and try again");
        } else {
            LOG.warn("sign-in for {} refused: more than {} sign-ins finished while it was under way, so whether its"
                    + " state was used before cannot be told", app.clientName(), UsedStates.CAPACITY);
            fail(security, request, response, context, 400, "forwardauth cannot tell whether this sign-in was"
                    + " already completed; go back to the page you wanted and try again");
        }
        return false;
    }

    // SPEC 5: Secure when the ORIGINAL request was https, i.e. the page this login returns to. This callback's
    // own scheme is the redirect-uri's: after an http page behind an https redirect-uri, a Secure session would
    // never be sent back to the page and the user would loop through the IdP; after an https page, a callback
    // that came without X-Forwarded-Proto must not leave a session that travels over http.
    private static boolean returnsToHttps(PendingLogin login, HttpServletRequest request, ForwardAuthSecurity security) {
        String url = login.requestedUrl();
        if (url == null) {
            // Every login we start records an absolute http or https URL; without one, this request is all there is.
            return EffectiveRequest.isHttps(request, security.trustedProxies());
        }
        return url.regionMatches(true, 0, "https:", 0, "https:".length());
    }

    // The provider's own words, escaped by the writer like every message. Cut short: without a state anyone can
    // put a /signin?error=...&error_description=... link in front of a user, and this is our page.
    private void refusedByIdp(ForwardAuthSecurity security, HttpServletRequest request, HttpServletResponse response,
                              JEEContext context, String error) throws IOException {
        String description = request.getParameter("error_description");
        fail(security, request, response, context, "access_denied".equals(error) ? 403 : 400,
                "the identity provider refused the sign-in: " + shortened(error)
                        + (description == null ? "" : " (" + shortened(description) + ")"));
    }

    private static String shortened(String text) {
        return text.length() <= IDP_TEXT_LIMIT ? text : text.substring(0, IDP_TEXT_LIMIT) + "...";
    }

    private void fail(ForwardAuthSecurity security, HttpServletRequest request, HttpServletResponse response,
                      JEEContext context, int status, String message) throws IOException {
        Cookies.commit(security, context, request);
        writer.write(request, response, new Outcome.Refused(status, "Sign-in failed", message));
    }
}
