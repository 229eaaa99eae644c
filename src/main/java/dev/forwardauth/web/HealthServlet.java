package dev.forwardauth.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Liveness for orchestrators. Mapped to exactly {@code /health}; the body is constant, so it is built once. */
final class HealthServlet extends HttpServlet {
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        OutcomeWriter.bodyHeaders(response);
        response.setContentLength(UP.length);
        response.getOutputStream().write(UP);
    }
}
