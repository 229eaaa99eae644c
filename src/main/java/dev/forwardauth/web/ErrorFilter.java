package dev.forwardauth.web;

import dev.forwardauth.security.IdpUnavailableError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of fail-closed: whatever escapes a route becomes 503 (the IdP was needed and is not
 * there) or 500, with our own short page. Never a stack trace, never a 2xx.
 */
final class ErrorFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ErrorFilter.class);

    private final transient OutcomeWriter writer;

    ErrorFilter(OutcomeWriter writer) {
        this.writer = writer;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!parametersReadable(request)) {
            writer.write(request, response, new Outcome.Refused(400, "Bad request",
                    "the query or form data is not valid percent-encoded UTF-8"));
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (IdpUnavailableError e) {
            LOG.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            answer(request, response, new Outcome.Unavailable(e.getMessage()));
        } catch (RuntimeException | ServletException e) {
            Throwable cause = e instanceof ServletException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IdpUnavailableError idp) {
                LOG.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), idp.getMessage());
                answer(request, response, new Outcome.Unavailable(idp.getMessage()));
                return;
            }
            // Class and message only: a stack trace may carry request data, and messages from our code never
            // hold tokens.
            LOG.error("{} {} failed: {}: {}", request.getMethod(), request.getRequestURI(),
                    cause.getClass().getName(), cause.getMessage());
            answer(request, response, new Outcome.Refused(500, "Internal error",
                    "forwardauth could not answer this request; the error is in its log"));
        }
    }

    /**
     * A query or form body that is not valid percent-encoded UTF-8 is the client's error. Jetty throws from
     * the first getParameter (ours, or pac4j's) and the catch above would make that a 500; Tomcat drops such
     * parameters quietly. Reading them once here, where the failure can be told apart, makes it a 400 in
     * every container. Requests without a query or form (every one Traefik sends) skip this.
     */
    private static boolean parametersReadable(HttpServletRequest request) {
        String type = request.getContentType();
        boolean form = type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33);
        if (request.getQueryString() == null && !form) {
            return true;
        }
        try {
            request.getParameterMap();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, Outcome outcome)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        writer.write(request, response, outcome);
    }
}
