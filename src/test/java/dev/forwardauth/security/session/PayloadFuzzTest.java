package dev.forwardauth.security.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * The plaintext a sealed cookie opens to, as if a bug ever let a foreign one through: any bytes are refused
 * or read into a session or pending login that writes back to the same value, never an exception, never an
 * unbounded inflation (Payload caps it), never a session without client or subject. Seeds in
 * PayloadFuzzTestInputs are raw and deflated payloads of both kinds.
 */
class PayloadFuzzTest {

    @FuzzTest
    void anyPlaintextIsRefusedOrReadBackExactly(byte[] plaintext) {
        Optional<SessionData> session = SessionData.fromBytes(plaintext);
        if (session.isPresent()) {
            assertNotNull(session.get().clientName());
            assertNotNull(session.get().profileId());
            assertEquals(session, SessionData.fromBytes(session.get().toBytes()));
        }
        Optional<PendingLoginData> login = PendingLoginData.fromBytes(plaintext);
        if (login.isPresent()) {
            assertNotNull(login.get().state());
            assertEquals(login, PendingLoginData.fromBytes(login.get().toBytes()));
        }
    }
}
