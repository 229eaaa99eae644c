package dev.forwardauth.web;

import dev.forwardauth.ops.ForwardAuthMetrics;
import dev.forwardauth.security.LiveSecurity;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /metrics} in the Prometheus text format, for scrapers on the addresses of {@code trusted-proxies}
 * only (the same private ranges by default). A request a proxy relays for someone else is refused too: the
 * proxy's own address is trusted, and a route that sends a whole host to forwardauth would otherwise show the
 * metrics to the internet. Served only at /metrics, not under /oauth2/, where proxies route our public paths.
 */
final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    // Headers by which Traefik, Caddy, nginx and RFC 7239 proxies say for whom they relay a request.
    private static final String[] RELAY_HEADERS = {"X-Forwarded-For", "X-Forwarded-Host", "Forwarded", "X-Real-Ip"};

    private final transient ForwardAuthMetrics metrics;
    private final transient LiveSecurity live;
    private final transient OutcomeWriter writer;

    MetricsServlet(ForwardAuthMetrics metrics, LiveSecurity live, OutcomeWriter writer) {
        this.metrics = metrics;
        this.live = live;
        this.writer = writer;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!live.current().trustedProxies().trusts(request.getRemoteAddr())) {
            writer.write(request, response, Outcome.Forbidden.because(
                    "metrics are served only to addresses in trusted-proxies"));
            return;
        }
        for (String header : RELAY_HEADERS) {
            if (request.getHeader(header) != null) {
                writer.write(request, response, Outcome.Forbidden.because("metrics are not served through a proxy"
                        + " (the request has " + header + "); let the scraper reach forwardauth directly"));
                return;
            }
        }
        writer.stream(response, ForwardAuthMetrics.CONTENT_TYPE, metrics::scrape);
    }
}
