package dev.forwardauth.config;

import java.util.List;

/** The config file cannot be used; {@link #problems()} lists every reason, one line each. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String summary(List<String> problems) {
        String heading = problems.size() == 1
                ? "the configuration has 1 problem:"
                : "the configuration has " + problems.size() + " problems:";
        return heading + "\n  " + String.join("\n  ", problems);
    }
}
