package dev.forwardauth.forward;

/**
 * Does the user's {@code Accept} header ask for an HTML page? That is how a browser's navigation differs from
 * an API client or a script (SPEC 4: 307 to the IdP versus 401). Read as media ranges (RFC 9110, 12.5.1):
 * {@code text/html} in any case, with a weight above zero. {@code text/html;q=0} says "not HTML", and
 * {@code text/htmlx} is another type. Any type alone, what curl and HTTP libraries send, is not a browser.
 */
public final class AcceptHeader {
    private static final String HTML = "text/html";

    private AcceptHeader() {
    }

    public static boolean asksForHtml(String accept) {
        if (accept == null) {
            return false;
        }
        int start = 0;
        while (start <= accept.length()) {
            int end = accept.indexOf(',', start);
            if (end < 0) {
                end = accept.length();
            }
            if (isWantedHtml(accept, start, end)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** One media range, {@code accept[start, end)}: {@code type/subtype *(; parameter)}. */
    private static boolean isWantedHtml(String accept, int start, int end) {
        int semicolon = accept.indexOf(';', start);
        int typeEnd = semicolon < 0 || semicolon > end ? end : semicolon;
        int from = skipSpace(accept, start, typeEnd);
        int to = trimSpace(accept, from, typeEnd);
        if (to - from != HTML.length() || !accept.regionMatches(true, from, HTML, 0, HTML.length())) {
            return false;
        }
        for (int p = typeEnd; p < end; ) {
            int next = accept.indexOf(';', p + 1);
            if (next < 0 || next > end) {
                next = end;
            }
            int name = skipSpace(accept, p + 1, next);
            if (name + 1 < next && (accept.charAt(name) == 'q' || accept.charAt(name) == 'Q')
                    && accept.charAt(name + 1) == '=') {
                return !isZero(accept, skipSpace(accept, name + 2, next), trimSpace(accept, name + 2, next));
            }
            p = next;
        }
        return true;
    }

    /** {@code 0}, {@code 0.}, {@code 0.0}, {@code 0.00} or {@code 0.000}: the weight that means "not acceptable". */
    private static boolean isZero(String s, int from, int to) {
        if (from >= to || s.charAt(from) != '0') {
            return false;
        }
        if (from + 1 == to) {
            return true;
        }
        if (s.charAt(from + 1) != '.' || to - from > 5) {
            return false;
        }
        for (int i = from + 2; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static int skipSpace(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpace(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
