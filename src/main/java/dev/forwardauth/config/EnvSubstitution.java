package dev.forwardauth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in config strings with environment variable NAME. Substituted text is not
 * scanned again, so a secret that happens to contain "${" stays as it is. Anything that is not a
 * complete {@code ${NAME}} (a lone "$", "${1X}") is left literally.
 */
final class EnvSubstitution {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Function<String, String> env;

    EnvSubstitution(Function<String, String> env) {
        this.env = env;
    }

    /** The substituted text, or null after reporting at {@code path} every variable that is not set. */
    String apply(String text, String path, Problems problems) {
        if (text.indexOf("${") < 0) {
            return text;
        }
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        List<String> unset = new ArrayList<>();
        while (matcher.find()) {
            String value = env.apply(matcher.group(1));
            if (value == null) {
                unset.add(matcher.group(1));
                value = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
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
