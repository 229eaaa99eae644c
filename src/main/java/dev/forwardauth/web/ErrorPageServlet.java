package dev.forwardauth.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Errors the container answers itself inside this webapp (web.xml's security-constraint, Jetty's 400 for an
 * ambiguous URI, an exception outside ErrorFilter's routes) come here through web.xml's error-page, so they
 * carry our page and headers instead of the container's. The container's message is never shown: it may
 * quote the request. Asked for directly, this is just another unknown path.
 */
final class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/error";

    private final transient OutcomeWriter writer;

    ErrorPageServlet(OutcomeWriter writer) {
        this.writer = writer;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            writer.write(request, response, NotFoundServlet.NOT_FOUND);
            return;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        writer.write(request, response, outcomeFor(code instanceof Integer status ? status : 500));
    }

    static Outcome outcomeFor(int status) {
        if (status == 404) {
            return NotFoundServlet.NOT_FOUND;
        }
        if (status == 400) {
            return new Outcome.Refused(400, "Bad request", "forwardauth could not read this request");
        }
        if (status == 403) {
            return new Outcome.Refused(403, "Forbidden", "this address is not served");
        }
        if (status == 405) {
            return new Outcome.Refused(405, "Method not allowed", "this method is not allowed at this address");
        }
        if (status >= 400 && status < 500) {
            return new Outcome.Refused(status, "Request refused", "forwardauth refused this request");
        }
        // A 5xx keeps its code; an odd one a container should not use for an error becomes 500: an error
        // page never answers 2xx or 3xx.
        return new Outcome.Refused(status >= 500 && status < 600 ? status : 500, "Internal error",
                "forwardauth could not answer this request; the error is in its log");
    }
}
