package dev.forwardauth.web;

import dev.forwardauth.reload.ReloadMode;
import jakarta.servlet.ServletContext;

/**
 * Where a deployed WAR finds its config (SPEC 2): context init-param {@code forwardauth.config}, else
 * system property {@code forwardauth.config}, else env {@code FORWARDAUTH_CONFIG}; and whether it follows
 * changes of it ({@code forwardauth.reload}, looked up the same way).
 */
final class ConfigLocation {
    static final String NAME = "forwardauth.config";
    static final String ENV = "FORWARDAUTH_CONFIG";
    /**
     * Set to {@code true} by the {@code java -jar} launcher only: the process is forwardauth's, so it may
     * take SIGHUP. Never set in a container (see docs/operations.md, Live reload).
     */
    static final String SIGHUP = "forwardauth.sighup";

    private ConfigLocation() {
    }

    static String find(ServletContext context) {
        String path = setting(context, NAME, ENV);
        if (isBlank(path)) {
            throw new IllegalStateException("no configuration file: set the context init-param " + NAME
                    + ", the system property " + NAME + " or the environment variable " + ENV);
        }
        return path;
    }

    /** {@code forwardauth.reload}; a value that is none of the modes stops the deployment, naming it. */
    static ReloadMode reloadMode(ServletContext context) {
        try {
            return ReloadMode.parse(setting(context, ReloadMode.PROPERTY, ReloadMode.ENV));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage()); // the message says it all; no cause to repeat it
        }
    }

    static boolean mayTakeSighup(ServletContext context) {
        return "true".equals(context.getInitParameter(SIGHUP));
    }

    private static String setting(ServletContext context, String name, String env) {
        String value = context.getInitParameter(name);
        if (isBlank(value)) {
            value = System.getProperty(name);
        }
        if (isBlank(value)) {
            value = System.getenv(env);
        }
        return value;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
