package dev.forwardauth.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders JSON paths the way the records declare their keys, lists by index, so the problems of one app
 * come together and in the order a file usually has, whichever check found them. Unknown keys sort
 * after the known ones of their object; the sort is stable, so they keep the order they were found in.
 */
final class PathOrder implements Comparator<String> {
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    @Override
    public int compare(String a, String b) {
        List<String> left = steps(a);
        List<String> right = steps(b);
        Type type = ConfigFile.class;
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int order = Long.compare(rank(left.get(i), type), rank(right.get(i), type));
            if (order != 0 || !left.get(i).equals(right.get(i))) {
                return order;
            }
            type = next(left.get(i), type);
        }
        return Integer.compare(left.size(), right.size());
    }

    private static long rank(String step, Type type) {
        if (step.startsWith("[")) {
            return Long.parseLong(step.substring(1, step.length() - 1));
        }
        if (type instanceof Class<?> record && record.isRecord()) {
            int index = 0;
            for (String key : ConfigKeys.of(record).keySet()) {
                if (key.equals(step)) {
                    return index;
                }
                index++;
            }
        }
        return Long.MAX_VALUE;
    }

    // The type a step leads to: a key's declared type, a list's element type; null once off the schema.
    private static Type next(String step, Type type) {
        if (step.startsWith("[")) {
            return type instanceof ParameterizedType list ? list.getActualTypeArguments()[0] : null;
        }
        if (type instanceof Class<?> record && record.isRecord()) {
            Map<String, ConfigKeys.Key> keys = ConfigKeys.of(record);
            return keys.containsKey(step) ? keys.get(step).type() : null;
        }
        return null;
    }

    private static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        Matcher m = STEP.matcher(path);
        while (m.find()) {
            steps.add(m.group());
        }
        return steps;
    }
}
