package dev.forwardauth.config;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads the JSON config file once: parse, check the structure against the records (substituting
 * environment variables), bind with JSON-B, check the values, resolve inheritance. Either everything is
 * right and the result is immutable, or {@link ConfigException} lists every problem.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** {@code env} stands for the process environment (tests pass their own; nothing reads it directly). */
    public static ForwardAuthConfig load(Path file, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        Problems problems = new Problems();
        String text = read(file, problems);
        if (text == null) {
            throw new ConfigException(problems.lines());
        }
        return parse(text, file.toString(), env::get);
    }

    /** The same as {@link #load} for text already in memory; {@code source} names it in messages. */
    static ForwardAuthConfig parse(String text, String source, Function<String, String> env) {
        Problems problems = new Problems();
        ConfigFile raw = bind(text, source, env, problems);
        if (raw != null) {
            new ConfigValidator(problems).validate(raw);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.lines());
        }
        return ConfigResolver.resolve(raw);
    }

    private static ConfigFile bind(String text, String source, Function<String, String> env, Problems problems) {
        JsonValue json = JsonText.parse(text, source, problems);
        if (json == null) {
            return null;
        }
        if (!(json instanceof JsonObject object)) {
            problems.add(source, "the top level must be an object ({...}), got "
                    + StructureChecker.describe(json));
            return null;
        }
        JsonObject checked = new StructureChecker(new EnvSubstitution(env), problems).check(object);
        Jsonb jsonb = JsonbBuilder.create();
        try {
            return jsonb.fromJson(checked.toString(), ConfigFile.class);
        } catch (JsonbException e) {
            // The structure check makes this unreachable in practice; never echo the text, it holds secrets.
            problems.add(source, "cannot bind the configuration (" + e.getClass().getSimpleName() + ")");
            return null;
        } finally {
            closeQuietly(jsonb);
        }
    }

    private static void closeQuietly(Jsonb jsonb) {
        try {
            jsonb.close();
        } catch (Exception e) {
            // Only in-memory caches are released here; a failure cannot affect the loaded config.
        }
    }

    private static String read(Path file, Problems problems) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(ConfigFileBytes.read(file)))
                    .toString();
            // Editors on Windows like to start UTF-8 files with a byte order mark; JSON does not allow one.
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (NoSuchFileException e) {
            problems.add(file.toString(), "cannot read the file (it does not exist)");
        } catch (AccessDeniedException | SecurityException e) {
            problems.add(file.toString(), "cannot read the file (permission denied)");
        } catch (CharacterCodingException e) {
            problems.add(file.toString(), "cannot read the file (it is not UTF-8 text)");
        } catch (IOException e) {
            // Also ConfigFileBytes' own refusals (a directory, a device, too large), which say why.
            problems.add(file.toString(), "cannot read the file (" + e.getMessage() + ")");
        }
        return null;
    }
}
