package dev.forwardauth.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks for the URLs in the config: the IdP's, the callback, the page after sign-out. */
final class Urls {
    // An "@" in the authority, i.e. before the first "/", "?" or "#" after the scheme's "//" (or from the start,
    // when the scheme is missing): whatever precedes it is user information.
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)?[^/?#]*@");

    private Urls() {
    }

    /** What is wrong with an absolute http(s) URL with a host, if anything. */
    static Optional<String> problem(String value) {
        // Before anything that would quote the value: a password there would be printed in every log line and
        // Location header that carries the URL (the IdP's authorize URL, the redirect-uri, return-to). Found by
        // pattern, so also in a URL that does not parse ("user:pw@host", "https://a:b@c@host/").
        if (USER_INFO.matcher(value).lookingAt()) {
            return Optional.of("must not contain user information (user:password@ before the host): credentials"
                    + " in a URL end up in logs and Location headers");
        }
        URI uri = parse(value);
        if (uri == null || !uri.isAbsolute() || uri.isOpaque() || !isHttp(uri.getScheme())
                || uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("must be an absolute http or https URL with a host, got \"" + value + "\"");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment (#...), got \"" + value + "\"");
        }
        return Optional.empty();
    }

    /**
     * The callback must be a URL whose path ends in /signin: forwardauth serves it there (and at
     * /oauth2/signin), and derives the start URL by replacing that last segment.
     */
    static Optional<String> redirectUriProblem(String value) {
        Optional<String> url = problem(value);
        if (url.isPresent()) {
            return url;
        }
        String path = URI.create(value).getPath();
        if (!path.endsWith("/signin")) {
            return Optional.of("path must end in /signin, got \"" + (path.isEmpty() ? "/" : path) + "\"");
        }
        return Optional.empty();
    }

    static URI parse(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean isHttp(String scheme) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        return lower.equals("http") || lower.equals("https");
    }
}
