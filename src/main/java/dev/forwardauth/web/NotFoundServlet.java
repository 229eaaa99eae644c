package dev.forwardauth.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Mapped to {@code /}, replacing the container's default servlet: forwardauth serves no static files, and
 * the WAR root holds the launcher's classes, which must never be downloadable.
 */
final class NotFoundServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final Outcome NOT_FOUND = new Outcome.Refused(404, "Not found", "forwardauth has no page at this address");

    private final transient OutcomeWriter writer;

    NotFoundServlet(OutcomeWriter writer) {
        this.writer = writer;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        writer.write(request, response, NOT_FOUND);
    }
}
