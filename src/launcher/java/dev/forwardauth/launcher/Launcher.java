package dev.forwardauth.launcher;

import dev.forwardauth.launcher.CommandLine.Options;
import dev.forwardauth.launcher.CommandLine.UsageException;
import dev.forwardauth.launcher.ConfigProblems.CheckUnavailableException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.webapp.WebAppContext;

/**
 * {@code java -jar forwardauth.war}, once {@code dev.forwardauth.boot.Main} has unpacked the WAR: reads the
 * command line, checks the configuration with the webapp's own validation, and only then deploys the webapp
 * on embedded Jetty and opens the port.
 */
public final class Launcher {
    static final int EXIT_OK = 0;
    static final int EXIT_INTERNAL_ERROR = 1;
    /** Wrong usage, an invalid configuration, or a failed start. */
    static final int EXIT_USAGE_OR_CONFIG = 2;

    /**
     * The webapp logs through java.util.logging (slf4j-jdk14). Its default format takes two lines per record;
     * this one takes one, like Jetty's own log lines beside it. A format given with -D wins.
     */
    static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";
    static final String LOG_FORMAT = "%1$tF %1$tT.%1$tL:%4$s :%3$s: %5$s%6$s%n";

    /**
     * Jetty sizes its padding against false sharing from this, and without it asks the platform MBean server
     * whether oops are compressed: starting JMX costs about a tenth of our start-up. 16 references of 4
     * bytes fill a 64-byte cache line; with uncompressed oops (heaps over 32 GB) it only pads more.
     */
    static final String CACHE_LINE_PROPERTY = "org.eclipse.jetty.util.referencesPerCacheLine";
    static final String CACHE_LINE_REFERENCES = "16";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final UnaryOperator<String> systemProperty;
    private final Path webappDir;
    private final Path workDir;
    private final String version;

    Launcher(PrintStream out, PrintStream err, Map<String, String> env, UnaryOperator<String> systemProperty,
            Path webappDir, Path workDir, String version) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.systemProperty = systemProperty;
        this.webappDir = webappDir;
        this.workDir = workDir;
        this.version = version == null ? "(unknown version)" : version;
    }

    /**
     * Called reflectively by {@code dev.forwardauth.boot.Main}, so only JDK types cross the class loaders.
     *
     * @param webappDir the unpacked webapp: its {@code WEB-INF} without the launcher
     * @param workDir private scratch space for the server, removed on exit
     * @param version the WAR's Implementation-Version
     * @return the process exit status; in server mode, once the server has stopped
     */
    public static int run(String[] args, Path webappDir, Path workDir, String version) {
        setIfAbsent(LOG_FORMAT_PROPERTY, LOG_FORMAT);
        setIfAbsent(CACHE_LINE_PROPERTY, CACHE_LINE_REFERENCES);
        return new Launcher(System.out, System.err, System.getenv(), System::getProperty, webappDir, workDir,
                version).execute(Arrays.asList(args));
    }

    int execute(List<String> args) {
        Options options;
        try {
            options = CommandLine.parse(args, env, systemProperty);
        } catch (UsageException e) {
            err.println("forwardauth: " + e.getMessage());
            err.println();
            err.print(CommandLine.USAGE);
            return EXIT_USAGE_OR_CONFIG;
        }
        switch (options.mode()) {
            case HELP:
                out.print(CommandLine.USAGE);
                return EXIT_OK;
            case VERSION:
                out.println("forwardauth " + version);
                return EXIT_OK;
            case DEMO:
                return DemoMode.run(webappDir, workDir, options.port(), out, err);
            case CHECK_CONFIG:
                return checkConfig(options);
            default:
                return checkThenServe(options);
        }
    }

    private int checkConfig(Options options) {
        List<String> problems;
        try {
            problems = ConfigProblems.checkStandalone(webappDir, options.config());
        } catch (CheckUnavailableException e) {
            err.println("forwardauth: " + e.getMessage());
            return EXIT_INTERNAL_ERROR;
        }
        problems.forEach(err::println);
        if (!problems.isEmpty()) {
            return EXIT_USAGE_OR_CONFIG;
        }
        out.println("config OK: " + options.config());
        return EXIT_OK;
    }

    /**
     * Checks the configuration in the class loader the webapp will run in (the webapp reads the same file
     * at deployment, and so loads JSON-B and its config classes only once), then starts. The webapp and the
     * check run on a second thread while this one builds the server: both are mostly cold class loading,
     * and the port opens only after both are done and the check found nothing.
     */
    private int checkThenServe(Options options) {
        FutureTask<CheckedWebapp> checked = new FutureTask<>(() -> {
            WebAppContext webapp = EmbeddedServer.newWebapp(webappDir, workDir, options.config());
            return new CheckedWebapp(webapp, ConfigProblems.check(webapp.getClassLoader(), options.config()));
        });
        Thread checker = new Thread(checked, "forwardauth-config-check");
        checker.setDaemon(true);
        checker.start();
        EmbeddedServer server = new EmbeddedServer(options.host(), options.port());

        CheckedWebapp webapp;
        try {
            webapp = checked.get();
        } catch (ExecutionException e) {
            err.println("forwardauth: " + (e.getCause() instanceof CheckUnavailableException
                    ? e.getCause().getMessage() : "cannot prepare the webapp: " + e.getCause()));
            return EXIT_INTERNAL_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_INTERNAL_ERROR;
        }
        webapp.problems().forEach(err::println);
        if (!webapp.problems().isEmpty()) {
            return EXIT_USAGE_OR_CONFIG;
        }
        return serve(server.deploy(webapp.context()), options);
    }

    private record CheckedWebapp(WebAppContext context, List<String> problems) {
    }

    private int serve(EmbeddedServer server, Options options) {
        try {
            server.start();
        } catch (Exception e) {
            err.println("forwardauth: start-up failed: " + rootMessage(e));
            return EXIT_USAGE_OR_CONFIG;
        }
        out.println("forwardauth " + version + " listening on http://" + displayHost(options.host()) + ":"
                + server.port() + "/ (config: " + options.config() + ")");
        out.flush();
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    static String displayHost(String host) {
        if (host == null) {
            return "0.0.0.0";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e) : e + " (cause: " + root + ")";
    }
}
