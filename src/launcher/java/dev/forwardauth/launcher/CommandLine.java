package dev.forwardauth.launcher;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads {@code java -jar forwardauth.war ...} into {@link Options}, with SPEC section 2's fall-backs: the
 * config file from {@code --config}, else env {@code FORWARDAUTH_CONFIG}, else system property
 * {@code forwardauth.config}; the port from {@code --port}, else env {@code PORT}, else 8080.
 */
final class CommandLine {
    static final String CONFIG_ENV = "FORWARDAUTH_CONFIG";
    static final String CONFIG_PROPERTY = "forwardauth.config";
    static final String PORT_ENV = "PORT";
    static final int DEFAULT_PORT = 8080;

    static final String USAGE = """
            Usage: java -jar forwardauth.war --config FILE [--port N] [--host ADDR]
                   java -jar forwardauth.war --check-config --config FILE
                   java -jar forwardauth.war --demo [--port N]
                   java -jar forwardauth.war --help | --version

              --config FILE    the JSON configuration file; else the environment variable
                               FORWARDAUTH_CONFIG, else the system property forwardauth.config
              --port N         the HTTP port, 0 to 65535 (0: any free port);
                               else the environment variable PORT, else 8080
              --host ADDR      the address to listen on; default: all interfaces (0.0.0.0)
              --check-config   check the configuration file, print every problem, and exit
              --demo           a demo on this machine only: a development identity provider
                               that signs anyone in, forwardauth, and a protected sample page
                               on --port (a free port if that one is taken)
              --help           print this help and exit
              --version        print the version and exit

            Exit status: 0 success, 1 internal error,
                         2 wrong usage, invalid configuration or failed start;
                         stopped by a signal, 128 + its number (SIGTERM 143, Ctrl-C 130),
                         after a clean stop.
            """;

    private static final Set<String> FLAGS = Set.of("--check-config", "--demo", "--help", "--version");
    private static final Set<String> WITH_VALUE = Set.of("--config", "--port", "--host");
    /** The options --demo would silently ignore, each with why. */
    private static final List<Map.Entry<String, String>> DEMO_REFUSES = List.of(
            Map.entry("--check-config", "to check a file, leave out --demo"),
            Map.entry("--config", "the demo runs a configuration of its own"),
            Map.entry("--host", "the demo listens on the loopback interface only"));

    private CommandLine() {
    }

    /**
     * @param env the process environment
     * @param systemProperty looks up a system property, {@code null} when unset
     */
    static Options parse(List<String> args, Map<String, String> env, UnaryOperator<String> systemProperty)
            throws UsageException {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                value = "";
            } else if (WITH_VALUE.contains(name)) {
                if (value == null && i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                }
                if (value == null || value.isBlank()) {
                    throw new UsageException(name + " needs a value");
                }
            } else if (arg.startsWith("-")) {
                throw new UsageException("unknown option: " + name);
            } else {
                throw new UsageException("unexpected argument: " + arg);
            }
            if (given.put(name, value) != null) {
                throw new UsageException(name + " given more than once");
            }
        }
        return toOptions(given, env, systemProperty);
    }

    private static Options toOptions(Map<String, String> given, Map<String, String> env,
            UnaryOperator<String> systemProperty) throws UsageException {
        if (given.containsKey("--help")) {
            return Options.of(Mode.HELP);
        }
        if (given.containsKey("--version")) {
            return Options.of(Mode.VERSION);
        }
        if (given.containsKey("--demo")) {
            // The demo runs a configuration, an identity provider and addresses of its own: an option it would
            // ignore is refused, above all --check-config (which would otherwise start the demo's IdP that
            // signs anyone in, instead of checking a file and exiting).
            for (Map.Entry<String, String> ignored : DEMO_REFUSES) {
                if (given.containsKey(ignored.getKey())) {
                    throw new UsageException("--demo cannot be combined with " + ignored.getKey() + " ("
                            + ignored.getValue() + ")");
                }
            }
            return new Options(Mode.DEMO, null, port(given, env), null);
        }
        Path config = config(given.get("--config"), env.get(CONFIG_ENV), systemProperty.apply(CONFIG_PROPERTY));
        if (given.containsKey("--check-config")) {
            // Checking opens no port: a PORT set for the whole container must not make it fail. A --port
            // written on this command line is still read, so a mistake there is still named.
            int port = given.containsKey("--port") ? port("--port", given.get("--port")) : DEFAULT_PORT;
            return new Options(Mode.CHECK_CONFIG, config, port, given.get("--host"));
        }
        return new Options(Mode.SERVE, config, port(given, env), given.get("--host"));
    }

    private static int port(Map<String, String> given, Map<String, String> env) throws UsageException {
        return given.containsKey("--port") ? port("--port", given.get("--port"))
                : env.get(PORT_ENV) != null ? port("environment variable " + PORT_ENV, env.get(PORT_ENV))
                : DEFAULT_PORT;
    }

    private static Path config(String option, String env, String property) throws UsageException {
        String source = option != null ? "--config" : notBlank(env) ? CONFIG_ENV : CONFIG_PROPERTY;
        String value = option != null ? option : notBlank(env) ? env : property;
        if (!notBlank(value)) {
            throw new UsageException("no configuration file given: use --config FILE, the environment variable "
                    + CONFIG_ENV + " or the system property " + CONFIG_PROPERTY);
        }
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(source + ": not a file name: " + value);
        }
    }

    private static int port(String source, String value) throws UsageException {
        String trimmed = value.strip();
        if (trimmed.matches("[0-9]{1,5}")) {
            int port = Integer.parseInt(trimmed);
            if (port <= 65535) {
                return port;
            }
        }
        throw new UsageException(source + ": not a port number (0 to 65535): " + value);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    enum Mode { SERVE, CHECK_CONFIG, HELP, VERSION, DEMO }

    /**
     * What to do. For {@link Mode#HELP} and {@link Mode#VERSION} only the mode counts; {@link Mode#DEMO} also
     * takes the port (the demo gateway's, the page the user opens).
     *
     * @param host the address to bind, {@code null} for all interfaces
     */
    record Options(Mode mode, Path config, int port, String host) {
        static Options of(Mode mode) {
            return new Options(mode, null, DEFAULT_PORT, null);
        }
    }

    /** A mistake on the command line (or in PORT): the message names it; the usage follows it. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
