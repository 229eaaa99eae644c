package dev.forwardauth.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Liveness for orchestrators. Mapped to exactly {@code /health}; the body is constant, so it is built once. The
 * container maps {@code /health;x} and {@code /%68ealth} here too (it drops path parameters and decodes before
 * matching): those get the 404 of every other path, since nothing but /health may answer as if healthy.
 */
final class HealthServlet extends GetOnlyServlet {
    private static final long serialVersionUID = 1L;
    static final String PATH = "/health";
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    HealthServlet(OutcomeWriter writer) {
        super(writer);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri.length() != context.length() + PATH.length() || !uri.startsWith(context) || !uri.endsWith(PATH)) {
            writer.write(request, response, NotFoundServlet.NOT_FOUND);
            return;
        }
        writer.json(response, UP);
    }
}
