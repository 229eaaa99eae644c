package dev.forwardauth.security.session;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.pac4j.jee.context.JEEContext;

/**
 * Just enough of a servlet request and response, as dynamic proxies, for pac4j's JEEContext: the store is
 * tested through the same WebContext it meets in production.
 */
final class FakeHttp {

    private FakeHttp() {
    }

    static final class Exchange {
        final Map<String, String[]> parameters = new LinkedHashMap<>();
        final Map<String, String> headers = new HashMap<>();
        final Map<String, Object> attributes = new HashMap<>();
        final List<Cookie> cookies = new ArrayList<>();
        final List<String> setCookies = new ArrayList<>();
        String httpMethod = "GET";
        String url = "https://app.example.com/authorize";
        private HttpServletRequest request;
        private HttpServletResponse response;
        private JEEContext context;

        Exchange parameter(String name, String value) {
            parameters.put(name, new String[] {value});
            return this;
        }

        Exchange cookie(String name, String value) {
            cookies.add(new Cookie(name, value));
            return this;
        }

        JEEContext context() {
            if (context == null) {
                context = new JEEContext(request(), response());
            }
            return context;
        }

        HttpServletRequest request() {
            if (request == null) {
                request = newRequest();
            }
            return request;
        }

        HttpServletResponse response() {
            if (response == null) {
                response = newResponse();
            }
            return response;
        }

        /** The Set-Cookie header for this name, or null. */
        String setCookie(String name) {
            return setCookies.stream().filter(header -> header.startsWith(name + "=")).findFirst().orElse(null);
        }

        private HttpServletRequest newRequest() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, called, args) -> switch (called.getName()) {
                        case "getParameter" -> first(parameters.get((String) args[0]));
                        case "getParameterMap" -> parameters;
                        case "getParameterValues" -> parameters.get((String) args[0]);
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "removeAttribute" -> attributes.remove((String) args[0]);
                        case "getCookies" -> cookies.isEmpty() ? null : cookies.toArray(new Cookie[0]);
                        case "getHeader" -> headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                        case "getHeaders" -> Collections.enumeration(headers.containsKey(((String) args[0]).toLowerCase(Locale.ROOT))
                                ? List.of(headers.get(((String) args[0]).toLowerCase(Locale.ROOT))) : List.of());
                        case "getHeaderNames" -> Collections.enumeration(headers.keySet());
                        case "getMethod" -> httpMethod;
                        case "getScheme" -> url.substring(0, url.indexOf(':'));
                        case "isSecure" -> url.startsWith("https:");
                        case "getServerName" -> java.net.URI.create(url).getHost();
                        case "getServerPort" -> url.startsWith("https:") ? 443 : 80;
                        case "getRequestURI" -> java.net.URI.create(url).getRawPath();
                        case "getRequestURL" -> new StringBuffer(url.contains("?") ? url.substring(0, url.indexOf('?')) : url);
                        case "getQueryString" -> url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
                        case "getContextPath" -> "";
                        case "getRemoteAddr" -> "127.0.0.1";
                        case "toString" -> "FakeRequest";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> defaultValue(called.getReturnType());
                    });
        }

        private HttpServletResponse newResponse() {
            Map<String, List<String>> responseHeaders = new HashMap<>();
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "addHeader" -> {
                                if ("Set-Cookie".equalsIgnoreCase((String) args[0])) {
                                    setCookies.add((String) args[1]);
                                }
                                responseHeaders.computeIfAbsent((String) args[0], k -> new ArrayList<>()).add((String) args[1]);
                                return null;
                            }
                            case "setHeader" -> {
                                responseHeaders.put((String) args[0], new ArrayList<>(List.of((String) args[1])));
                                return null;
                            }
                            case "getHeaders" -> {
                                return responseHeaders.getOrDefault((String) args[0], List.of());
                            }
                            case "getHeader" -> {
                                List<String> values = responseHeaders.get((String) args[0]);
                                return values == null ? null : values.get(0);
                            }
                            case "toString" -> {
                                return "FakeResponse";
                            }
                            case "hashCode" -> {
                                return System.identityHashCode(proxy);
                            }
                            case "equals" -> {
                                return proxy == args[0];
                            }
                            default -> {
                                return defaultValue(method.getReturnType());
                            }
                        }
                    });
        }
    }

    /** A cookie jar that applies Set-Cookie headers as a browser would (name, value, Max-Age only). */
    static final class Browser {
        final Map<String, String> jar = new LinkedHashMap<>();

        Exchange get(String url) {
            Exchange exchange = new Exchange();
            exchange.url = url;
            jar.forEach(exchange::cookie);
            return exchange;
        }

        void receive(Exchange exchange) {
            for (String header : exchange.setCookies) {
                Map<String, String> attributes = attributes(header);
                String nameValue = header.split(";", 2)[0];
                String name = nameValue.substring(0, nameValue.indexOf('='));
                String value = nameValue.substring(nameValue.indexOf('=') + 1);
                if ("0".equals(attributes.get("max-age"))) {
                    jar.remove(name);
                } else {
                    jar.put(name, value);
                }
            }
        }

        List<String> names() {
            return new ArrayList<>(jar.keySet());
        }
    }

    /** Attributes of a Set-Cookie header, keyed by lower-case name ("httponly" maps to ""). */
    static Map<String, String> attributes(String setCookie) {
        String[] parts = setCookie.split(";");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            attributes.put((eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT), eq < 0 ? "" : part.substring(eq + 1));
        }
        return attributes;
    }

    static List<String> names(List<String> setCookies) {
        return setCookies.stream().map(header -> header.substring(0, header.indexOf('='))).collect(Collectors.toList());
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class || type == long.class) {
            return type == int.class ? (Object) 0 : (Object) 0L;
        }
        return null;
    }
}
