package dev.forwardauth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in config strings with environment variable NAME. Substituted text is not
 * scanned again, so a value that happens to contain "${" stays as it is. Any other "${...}" is an
 * error rather than literal text: Spring's {@code ${NAME:default}}, carried over from an application.yaml,
 * would otherwise silently become the value itself, a client secret for example.
 */
final class EnvSubstitution {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> env;

    EnvSubstitution(Function<String, String> env) {
        this.env = env;
    }

    /** The substituted text, or null after reporting at {@code path} what could not be substituted. */
    String apply(String text, String path, Problems problems) {
        if (text.indexOf("${") < 0) {
            return text;
        }
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        List<String> unset = new ArrayList<>();
        boolean malformed = false;
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = null;
            if (!NAME.matcher(name).matches()) {
                malformed = true;
            } else {
                value = env.apply(name);
                if (value == null) {
                    unset.add(name);
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
        }
        matcher.appendTail(out);
        if (malformed) {
            // The reference itself is not repeated: a ":default" part may be a secret.
            problems.add(path, "has a \"${...}\" that is not an environment variable reference: write ${NAME},"
                    + " NAME of letters, digits and _ (default values are not supported)");
            return null;
        }
        if (!unset.isEmpty()) {
            problems.add(path, unsetMessage(unset));
            return null;
        }
        return out.toString();
    }

    private static String unsetMessage(List<String> unset) {
        List<String> names = unset.stream().distinct().toList();
        return names.size() == 1
                ? "environment variable " + names.get(0) + " is not set"
                : "environment variables " + String.join(", ", names) + " are not set";
    }
}
