package dev.forwardauth.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * A route that answers GET (and HEAD) only. Any other method gets our own 405 through the OutcomeWriter:
 * HttpServlet's defaults would send the container's error page for it, answer OPTIONS with a 200, and
 * TRACE by echoing the request, cookies included.
 */
abstract class GetOnlyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Outcome GET_ONLY = new Outcome.MethodNotAllowed(List.of("GET", "HEAD"));

    protected final transient OutcomeWriter writer;

    GetOnlyServlet(OutcomeWriter writer) {
        this.writer = writer;
    }

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            super.service(request, response);
        } else {
            writer.write(request, response, GET_ONLY);
        }
    }
}
