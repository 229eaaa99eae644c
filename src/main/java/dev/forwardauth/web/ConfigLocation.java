package dev.forwardauth.web;

import jakarta.servlet.ServletContext;

/**
 * Where a deployed WAR finds its config (SPEC 2): context init-param {@code forwardauth.config}, else
 * system property {@code forwardauth.config}, else env {@code FORWARDAUTH_CONFIG}.
 */
final class ConfigLocation {
    static final String NAME = "forwardauth.config";
    static final String ENV = "FORWARDAUTH_CONFIG";

    private ConfigLocation() {
    }

    static String find(ServletContext context) {
        String path = context.getInitParameter(NAME);
        if (isBlank(path)) {
            path = System.getProperty(NAME);
        }
        if (isBlank(path)) {
            path = System.getenv(ENV);
        }
        if (isBlank(path)) {
            throw new IllegalStateException("no configuration file: set the context init-param " + NAME
                    + ", the system property " + NAME + " or the environment variable " + ENV);
        }
        return path;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
