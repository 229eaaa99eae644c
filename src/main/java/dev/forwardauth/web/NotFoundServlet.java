package dev.forwardauth.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Mapped to {@code /}, replacing the container's default servlet: forwardauth serves no static files, and
 * the WAR root holds the launcher's classes, which must never be downloadable.
 */
final class NotFoundServlet extends HttpServlet {
    private static final byte[] BODY = "{\"error\":\"not_found\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        OutcomeWriter.bodyHeaders(response);
        response.setContentLength(BODY.length);
        response.getOutputStream().write(BODY);
    }
}
