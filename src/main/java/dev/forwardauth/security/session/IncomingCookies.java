package dev.forwardauth.security.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.pac4j.core.context.Cookie;
import org.pac4j.core.context.WebContext;

/**
 * Our cookies as this request brought them, read once. A name can come more than once (a host-only cookie
 * and one for the parent domain, left from an older configuration); each value is tried in turn.
 */
final class IncomingCookies {

    static final String PREFIX = "FORWARDAUTH";

    private final Map<String, List<String>> values;

    private IncomingCookies(Map<String, List<String>> values) {
        this.values = values;
    }

    static IncomingCookies from(WebContext context) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Cookie cookie : context.getRequestCookies()) {
            if (cookie.getName().startsWith(PREFIX) && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                values.computeIfAbsent(cookie.getName(), name -> new ArrayList<>(1)).add(cookie.getValue());
            }
        }
        return new IncomingCookies(values);
    }

    List<String> values(String name) {
        return values.getOrDefault(name, Collections.emptyList());
    }

    Optional<String> first(String name) {
        return values(name).stream().findFirst();
    }

    Set<String> namesStartingWith(String prefix) {
        return values.keySet().stream()
                .filter(name -> name.startsWith(prefix))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
