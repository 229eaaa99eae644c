package dev.forwardauth.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Liveness for orchestrators. Mapped to exactly {@code /health}; the body is constant, so it is built once. */
final class HealthServlet extends GetOnlyServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    HealthServlet(OutcomeWriter writer) {
        super(writer);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        writer.json(response, UP);
    }
}
