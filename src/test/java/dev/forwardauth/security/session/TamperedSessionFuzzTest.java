package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.forwardauth.security.session.FakeHttp.Exchange;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.pac4j.core.util.Pac4jConstants;

/**
 * A real session cookie of ours, edited by the fuzzer (characters replaced, cut short, characters inserted):
 * it opens only while it still stands for exactly the bytes we sealed, and is no session otherwise. Input:
 * groups of three bytes (position high, position low, new character) each replacing one character; one
 * byte left over cuts the value, two insert a character. Seeds in TamperedSessionFuzzTestInputs.
 */
class TamperedSessionFuzzTest {

    private static final MutableClock CLOCK = new MutableClock();
    private static final CookieSessionStore STORE =
            new CookieSessionStore(SessionSettings.of(SessionCookieTest.SECRET, 43200, 300), CLOCK);
    private static final Map<String, String> GENUINE = SealedCookies.session(STORE, CLOCK);
    private static final String VALUE = GENUINE.get(SessionCookies.NAME);

    @FuzzTest
    void anAlteredSessionCookieOpensOnlyAsTheBytesWeSealed(byte[] edits) {
        String edited = edit(VALUE, edits);
        Exchange exchange = new Exchange();
        GENUINE.forEach((name, value) -> exchange.cookie(name, name.equals(SessionCookies.NAME) ? edited : value));

        boolean opened = STORE.get(exchange.context(), Pac4jConstants.USER_PROFILES).isPresent();

        byte[] sealed = sealedBytes(edited);
        // Not Arrays.equals(x, null): Jazzer 0.24's hook on it passes null to native code and crashes the JVM.
        assertEquals(sealed != null && Arrays.equals(sealedBytes(VALUE), sealed), opened, edited);
    }

    static String edit(String value, byte[] edits) {
        StringBuilder out = new StringBuilder(value);
        int groups = edits.length / 3;
        for (int i = 0; i < groups; i++) {
            int position = ((edits[3 * i] & 0xFF) << 8 | edits[3 * i + 1] & 0xFF) % out.length();
            out.setCharAt(position, (char) (edits[3 * i + 2] & 0xFF));
        }
        int rest = edits.length - 3 * groups;
        if (rest == 1) {
            out.setLength(out.length() * (edits[edits.length - 1] & 0xFF) / 256);
        } else if (rest == 2) {
            out.insert((edits[edits.length - 2] & 0xFF) % (out.length() + 1), (char) (edits[edits.length - 1] & 0xFF));
        }
        return out.toString();
    }

    /** What the value decodes to (chunks joined); null when it is not one of our sealed values at all. */
    private static byte[] sealedBytes(String firstCookie) {
        String joined = CookieChunks.join(firstCookie, i -> java.util.Optional.ofNullable(
                GENUINE.get(CookieChunks.chunkName(SessionCookies.NAME, i)))).orElse(null);
        if (joined == null || !joined.startsWith(SessionCrypto.VERSION_PREFIX)) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(joined.substring(SessionCrypto.VERSION_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
