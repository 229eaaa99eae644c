package dev.forwardauth.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Builds the whole webapp at deployment: the one place that shows which servlet answers which path and
 * in what order the filters run.
 */
public final class ForwardAuthInitializer implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        // Exactly /health: orchestrators probe it, and nothing else may answer as if healthy.
        context.addServlet("health", new HealthServlet()).addMapping("/health");
        // Everything unknown is 404; this also replaces the container's static-file servlet.
        context.addServlet("not-found", new NotFoundServlet()).addMapping("/");
    }
}
