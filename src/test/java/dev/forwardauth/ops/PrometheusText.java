package dev.forwardauth.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, enough to prove a scrape parses: every line is
 * a HELP, a TYPE or a sample; every sample belongs to a declared family; label values are properly quoted.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\"\\\\n])*)\"(,|$)");

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private PrometheusText() {
    }

    /** Parses {@code text}, failing the test on the first line that is not valid. */
    public static PrometheusText parse(String text) {
        PrometheusText parsed = new PrometheusText();
        assertTrue(text.endsWith("\n"), "a scrape ends with a line feed");
        for (String line : text.split("\n")) {
            parsed.line(line);
        }
        assertTrue(!parsed.samples.isEmpty(), "no samples");
        return parsed;
    }

    private void line(String line) {
        Matcher m;
        if (line.isEmpty()) {
            return;
        }
        if ((m = HELP.matcher(line)).matches()) {
            return;
        }
        if ((m = TYPE.matcher(line)).matches()) {
            assertTrue(types.put(m.group(1), m.group(2)) == null, "family declared twice: " + line);
            return;
        }
        if (line.startsWith("#")) {
            fail("unknown comment line: " + line);
        }
        m = SAMPLE.matcher(line);
        if (!m.matches()) {
            fail("not a sample line: " + line);
        }
        String name = m.group(1);
        String family = family(name);
        assertTrue(family != null, "sample of an undeclared family: " + line);
        if (m.group(3) != null && !m.group(3).isEmpty()) {
            Matcher label = LABEL.matcher(m.group(3));
            int end = 0;
            while (label.find() && label.start() == end) {
                end = label.end();
            }
            assertEquals(m.group(3).length(), end, "malformed labels: " + line);
        }
        double value;
        try {
            value = Double.parseDouble(m.group(4).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
        } catch (NumberFormatException e) {
            throw new AssertionError("not a number: " + line, e);
        }
        assertTrue(samples.put(name + (m.group(2) == null ? "" : m.group(2)), value) == null, "sample twice: " + line);
    }

    private String family(String sample) {
        if (types.containsKey(sample)) {
            return sample;
        }
        for (String suffix : new String[] {"_total", "_bucket", "_count", "_sum", "_created"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    /** The TYPE of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    /** The value of one series, written exactly as in the scrape ({@code name{a="b",c="d"}}); null if absent. */
    public Double value(String series) {
        return samples.get(series);
    }

    /** Every series, as written, with its value. */
    public Map<String, Double> samples() {
        return samples;
    }
}
