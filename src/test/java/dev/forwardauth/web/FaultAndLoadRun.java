package dev.forwardauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forwardauth.web.SteadyLoad.Answer;
import dev.forwardauth.web.SteadyLoad.Caller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, fault and load: a steady load of valid sessions and bearer tokens against the real
 * {@code java -jar target/forwardauth.war} while the IdP (mock-oauth2-server, in this JVM) is stopped and
 * restarted on its port, and while forwardauth itself is stopped (SIGTERM) and started again on the same port
 * with the same session-secret. Outside forwardauth's own restart window every answer must be 200 for the
 * right user: the IdP's outage costs valid callers nothing, and no session is lost across the restart
 * (cookies are stateless). Connection errors are expected only in the restart window and are counted
 * separately. The count of each answer per phase is printed as a table.
 *
 * <p>Not a *IT: {@code mvn verify} does not run it. {@code .ci/run} runs the short form (one 60 s cycle) with
 * {@code mvn -B -Pfaults verify}; the long form adds {@code -Dfaults.cycles=10} (docs/security-faults.md).
 */
class FaultAndLoadRun {
    static final Duration CYCLE = Duration.ofSeconds(Long.getLong("faults.seconds", 60));
    static final int CYCLES = Integer.getInteger("faults.cycles", 1);
    static final int WORKERS = Integer.getInteger("faults.workers", 8);
    static final Duration PAUSE = Duration.ofMillis(Long.getLong("faults.pause-ms", 20));
    static final int USERS = 6;
    static final String APP = "https://app.example.com";

    enum Phase {
        STEADY("steady"), IDP_DOWN("IdP down"), IDP_BACK("IdP back"),
        RESTARTING("forwardauth restarting"), BACK("forwardauth back");

        final String title;

        Phase(String title) {
            this.title = title;
        }
    }

    /** When a phase began, on System.nanoTime()'s scale. */
    record Mark(Phase phase, long at) {
    }

    @Test
    void validCallersGetOnly2xxWhileTheIdpAndForwardAuthRestart(@TempDir Path dir) throws Exception {
        int idpPort = freePort();
        MockOAuth2Server idp = startIdp(idpPort);
        int port = freePort();
        Path config = dir.resolve("forwardauth.json");
        Files.writeString(config, config(idp));
        ForwardAuthChild forwardauth = ForwardAuthChild.start(dir, config, port, "forwardauth-0");
        List<ForwardAuthChild> children = new ArrayList<>(List.of(forwardauth));
        try {
            forwardauth.awaitHealthy();
            SteadyLoad load = new SteadyLoad(forwardauth.base().resolve("/authorize"),
                    callers(idp, forwardauth.base()), WORKERS, PAUSE);
            List<Mark> marks = new ArrayList<>();
            load.start();
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                enter(marks, Phase.STEADY);
                Thread.sleep(part(0.15));
                enter(marks, Phase.IDP_DOWN);
                idp.shutdown();
                Thread.sleep(part(0.25));
                enter(marks, Phase.IDP_BACK);
                idp = startIdp(idpPort);
                Thread.sleep(part(0.15));
                enter(marks, Phase.RESTARTING);
                forwardauth.stop();
                forwardauth = ForwardAuthChild.start(dir, config, port, "forwardauth-" + cycle);
                children.add(forwardauth);
                forwardauth.awaitHealthy();
                enter(marks, Phase.BACK);
                Thread.sleep(part(0.45));
            }
            List<Answer> answers = load.stop();

            Map<Phase, Map<String, Integer>> counts = count(answers, marks);
            System.out.println(table(counts));
            load.samples().forEach((outcome, sample) -> System.out.println("  first " + outcome + ": " + sample));
            for (ForwardAuthChild child : children) {
                child.warnings(20).forEach(line -> System.out.println("  forwardauth log: " + line));
            }
            for (Phase phase : Phase.values()) {
                assertTrue(counts.get(phase).values().stream().mapToInt(Integer::intValue).sum() > 0,
                        "no request in phase " + phase.title);
                if (phase != Phase.RESTARTING) {
                    assertEquals(Map.of("200", counts.get(phase).getOrDefault("200", 0)), counts.get(phase),
                            "answers while " + phase.title + "; forwardauth's log:\n" + forwardauth.log());
                }
            }
            assertEveryCallerPassedAfterTheRestart(answers, marks, load.callers());
        } finally {
            forwardauth.close();
            idp.shutdown();
        }
    }

    /** No session lost: every session (and token) was answered 200 after forwardauth's last restart. */
    private static void assertEveryCallerPassedAfterTheRestart(List<Answer> answers, List<Mark> marks,
                                                               List<Caller> callers) {
        long back = marks.get(marks.size() - 1).at();
        int[] passed = new int[callers.size()];
        for (Answer answer : answers) {
            if (answer.startNanos() >= back && answer.outcome().equals("200")) {
                passed[answer.caller()]++;
            }
        }
        for (int i = 0; i < callers.size(); i++) {
            assertTrue(passed[i] > 0, callers.get(i).kind() + " of " + callers.get(i).user()
                    + " got no 200 after forwardauth's restart");
        }
    }

    private static List<Caller> callers(MockOAuth2Server idp, URI forwardauth) throws Exception {
        List<Caller> callers = new ArrayList<>();
        for (int i = 1; i <= USERS; i++) {
            String user = "user-" + i;
            TraefikClient browser = new TraefikClient();
            Logins.login(browser, forwardauth, idp, APP + "/", Logins.user(user, Map.of()));
            StringBuilder cookies = new StringBuilder();
            browser.cookies.forEach((name, value) -> cookies.append(cookies.length() == 0 ? "" : "; ")
                    .append(name).append('=').append(value));
            callers.add(new Caller("session", "Cookie", cookies.toString(), user));
            String service = "service-" + i;
            callers.add(new Caller("bearer token", "Authorization",
                    "Bearer " + Logins.accessToken(idp, service, Map.of()), service));
        }
        return callers;
    }

    private static Map<Phase, Map<String, Integer>> count(List<Answer> answers, List<Mark> marks) {
        Map<Phase, Map<String, Integer>> counts = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            counts.put(phase, new TreeMap<>());
        }
        for (Answer answer : answers) {
            counts.get(phaseOf(answer, marks)).merge(answer.outcome(), 1, Integer::sum);
        }
        return counts;
    }

    // The phase a request started in, except that one which overlapped forwardauth's restart window in any way
    // belongs to that window (it may have been cut off by the stop, or met the new process starting).
    private static Phase phaseOf(Answer answer, List<Mark> marks) {
        Phase started = Phase.STEADY;
        for (int i = 0; i < marks.size(); i++) {
            Mark mark = marks.get(i);
            long end = i + 1 < marks.size() ? marks.get(i + 1).at() : Long.MAX_VALUE;
            if (mark.phase() == Phase.RESTARTING && answer.startNanos() < end && answer.endNanos() >= mark.at()) {
                return Phase.RESTARTING;
            }
            if (mark.at() <= answer.startNanos()) {
                started = mark.phase();
            }
        }
        return started;
    }

    private static String table(Map<Phase, Map<String, Integer>> counts) {
        TreeSet<String> outcomes = new TreeSet<>();
        counts.values().forEach(row -> outcomes.addAll(row.keySet()));
        StringBuilder out = new StringBuilder(String.format("%nfault-and-load run: %d cycle(s) of %d s, %d workers,"
                + " %d sessions and %d bearer tokens; answers to /authorize by phase:%n", CYCLES, CYCLE.toSeconds(),
                WORKERS, USERS, USERS));
        out.append(String.format("%-24s %9s", "phase", "requests"));
        outcomes.forEach(outcome -> out.append(String.format(" %16s", outcome)));
        out.append(System.lineSeparator());
        for (Phase phase : Phase.values()) {
            Map<String, Integer> row = counts.get(phase);
            out.append(String.format("%-24s %9d", phase.title, row.values().stream().mapToInt(Integer::intValue).sum()));
            outcomes.forEach(outcome -> out.append(String.format(" %16d", row.getOrDefault(outcome, 0))));
            out.append(System.lineSeparator());
        }
        return out.toString();
    }

    private static void enter(List<Mark> marks, Phase phase) {
        marks.add(new Mark(phase, System.nanoTime()));
    }

    private static long part(double share) {
        return (long) (CYCLE.toMillis() * share);
    }

    private static MockOAuth2Server startIdp(int port) throws Exception {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start(port);
        // mock-oauth2-server's first answer in a JVM takes long (class loading); forwardauth's first discovery
        // should not time out on that.
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(idp.wellKnownUrl(Logins.ISSUER_ID)
                .toString())).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding());
        return idp;
    }

    private static String config(MockOAuth2Server idp) {
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "default": {
                    "client-id": "forwardauth",
                    "client-secret": "secret",
                    "audience": "%s",
                    "redirect-uri": "https://app.example.com/oauth2/signin"
                  }
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, Logins.AUDIENCE);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
