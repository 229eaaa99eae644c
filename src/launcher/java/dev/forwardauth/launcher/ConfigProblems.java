package dev.forwardauth.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the webapp's own validation, {@code dev.forwardauth.config.ConfigCheck.problems(String)}, before any
 * port is opened. The launcher never links webapp classes: it calls the check reflectively, in a class loader
 * over the webapp's {@code WEB-INF/classes} and {@code WEB-INF/lib}.
 */
final class ConfigProblems {
    static final String CHECK_CLASS = "dev.forwardauth.config.ConfigCheck";
    static final String CHECK_METHOD = "problems";

    private ConfigProblems() {
    }

    /**
     * For {@code --check-config}, where no server starts: the webapp's classes over the platform's only.
     *
     * @return one line per problem, empty when the file is valid
     * @throws CheckUnavailableException the WAR has no usable check (a broken build), or the check crashed
     */
    static List<String> checkStandalone(Path webappDir, Path config) throws CheckUnavailableException {
        try (URLClassLoader loader = new URLClassLoader("forwardauth-config-check", classPath(webappDir),
                ClassLoader.getPlatformClassLoader())) {
            return check(loader, config);
        } catch (IOException e) {
            throw new CheckUnavailableException("cannot read the webapp's classes: " + e, e);
        }
    }

    /**
     * Runs the check in {@code loader}: before a start, the webapp's own class loader, so that what the
     * check loads (JSON-B, the config classes) is loaded once, for the webapp's own reading of the file.
     */
    static List<String> check(ClassLoader loader, Path config) throws CheckUnavailableException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            // JSON-B and other service lookups go through the context class loader.
            thread.setContextClassLoader(loader);
            Method problems = Class.forName(CHECK_CLASS, true, loader).getMethod(CHECK_METHOD, String.class);
            Object result = problems.invoke(null, config.toString());
            List<String> lines = new ArrayList<>();
            for (Object line : (List<?>) result) {
                lines.add(String.valueOf(line));
            }
            return lines;
        } catch (InvocationTargetException e) {
            throw new CheckUnavailableException("the configuration check failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new CheckUnavailableException("this WAR has no usable " + CHECK_CLASS + "." + CHECK_METHOD
                    + "(String); is it a complete forwardauth build? (" + e + ")", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL[] classPath(Path webappDir) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Path entry : EmbeddedServer.webappClassPath(webappDir)) {
            urls.add(entry.toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }

    /** Not a problem of the user's file: the check itself could not run. */
    static final class CheckUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        CheckUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
