package dev.forwardauth.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/** What {@code --check-config} runs (the launcher calls it reflectively): keep name and signature. */
public final class ConfigCheck {
    private ConfigCheck() {
    }

    /** Every problem of the config file at {@code path}, one line each; empty when it is valid. */
    public static List<String> problems(String path) {
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            return List.of(path + ": cannot read the file (not a valid path: " + e.getReason() + ")");
        }
        try {
            ConfigLoader.load(file, System.getenv());
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }
}
