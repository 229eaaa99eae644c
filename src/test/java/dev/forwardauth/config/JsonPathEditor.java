package dev.forwardauth.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Edits a tree of maps and lists at a path in the problem messages' syntax: {@code apps[0].rules[1].path}. */
final class JsonPathEditor {
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    private JsonPathEditor() {
    }

    static void set(Map<String, Object> root, String path, Object value) {
        List<Object> steps = steps(path);
        Object parent = walk(root, steps.subList(0, steps.size() - 1));
        Object last = steps.get(steps.size() - 1);
        if (last instanceof Integer index) {
            List<Object> list = asList(parent);
            if (index == list.size()) {
                list.add(value);
            } else {
                list.set(index, value);
            }
        } else {
            asMap(parent).put((String) last, value);
        }
    }

    static void remove(Map<String, Object> root, String path) {
        List<Object> steps = steps(path);
        Object parent = walk(root, steps.subList(0, steps.size() - 1));
        Object last = steps.get(steps.size() - 1);
        if (last instanceof Integer index) {
            asList(parent).remove((int) index);
        } else {
            asMap(parent).remove(last);
        }
    }

    private static Object walk(Object node, List<Object> steps) {
        for (Object step : steps) {
            node = step instanceof Integer index ? asList(node).get(index) : asMap(node).get(step);
            if (node == null) {
                throw new IllegalArgumentException("no such path in the fixture: " + steps);
            }
        }
        return node;
    }

    private static List<Object> steps(String path) {
        List<Object> steps = new ArrayList<>();
        Matcher m = STEP.matcher(path);
        while (m.find()) {
            steps.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
        }
        return steps;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object node) {
        return (List<Object>) node;
    }
}
