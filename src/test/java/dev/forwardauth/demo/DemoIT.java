package dev.forwardauth.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.forwardauth.launcher.WarEntries;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/forwardauth.war --demo} as a newcomer runs it: one child process, then a browser
 * that follows every hop itself (gateway, development IdP, gateway again) and keeps cookies by name.
 */
class DemoIT {
    static final Path WAR = Path.of(System.getProperty("forwardauth.war", "target/forwardauth.war")).toAbsolutePath();
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final String BANNER_END = "Press Ctrl+C to stop.";

    @TempDir
    static Path dir;
    static Process demo;
    static Path stdout;
    static Path stderr;
    static String banner;
    static URI gateway;
    static URI idp;

    @BeforeAll
    static void startDemo() throws Exception {
        stdout = dir.resolve("stdout.txt");
        stderr = dir.resolve("stderr.txt");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dir, "-jar", WAR.toString(), "--demo", "--port", "0");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().remove("PORT");
        long started = System.nanoTime();
        demo = builder.start();
        banner = awaitBanner();
        System.out.printf("java -jar --demo to its banner: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        gateway = URI.create(urlAfter("gateway (plays Traefik)"));
        idp = URI.create(urlAfter("development IdP"));
    }

    @AfterAll
    static void stopDemo() throws InterruptedException {
        if (demo == null) {
            return;
        }
        try {
            demo.destroy();
            demo.waitFor(15, TimeUnit.SECONDS);
        } finally {
            demo.destroyForcibly();
            demo.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String awaitBanner() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.readString(stdout);
            if (out.contains(BANNER_END)) {
                return out;
            }
            if (!demo.isAlive()) {
                fail("--demo exited with " + demo.exitValue() + ":\n" + out + Files.readString(stderr));
            }
            Thread.sleep(50);
        }
        return fail("no banner after " + START_TIMEOUT + ":\n" + Files.readString(stdout) + Files.readString(stderr));
    }

    private static String urlAfter(String label) {
        Matcher url = Pattern.compile(Pattern.quote(label) + "\\s+(http://\\S+)").matcher(banner);
        assertTrue(url.find(), banner);
        return url.group(1);
    }

    @Test
    void theBannerSaysLoudlyThatThisIsADemoOnLocalhost() {
        assertTrue(banner.contains("*** forwardauth DEMO - not for production"), banner);
        assertTrue(banner.contains("Open " + gateway + " in your browser."), banner);
        assertEquals("localhost", gateway.getHost());
        assertTrue(gateway.getPort() > 0, banner);
        assertEquals("localhost", idp.getHost());
        assertEquals("/demo", idp.getPath());
    }

    @Test
    void theDevelopmentIdpIsNeverAWebappLibrary() throws IOException {
        List<String> entries;
        try (JarFile war = new JarFile(WAR.toFile())) {
            entries = war.stream().map(ZipEntry::getName).toList();
        }
        List<String> webappLibs = entries.stream().filter(name -> name.startsWith("WEB-INF/lib/")).toList();
        for (String jar : List.of("mock-oauth2-server", "kotlin", "netty", "okhttp", "freemarker")) {
            assertTrue(webappLibs.stream().noneMatch(name -> name.contains(jar)), jar + " in " + webappLibs);
        }
        assertTrue(entries.contains("WEB-INF/demo/classes/dev/forwardauth/demo/Demo.class"));
        assertTrue(WarEntries.ownJarEntries().stream().noneMatch(name -> name.startsWith("dev/forwardauth/demo/")));
        List<String> demoLibs = entries.stream().filter(name -> name.startsWith("WEB-INF/demo/lib/")).toList();
        assertTrue(demoLibs.stream().anyMatch(name -> name.contains("mock-oauth2-server-")), demoLibs.toString());
        // Logging, Jetty and the servlet API come from the launcher's class loader, once.
        for (String jar : List.of("slf4j", "logback", "jetty-", "servlet")) {
            assertTrue(demoLibs.stream().noneMatch(name -> name.contains(jar)), jar + " in " + demoLibs);
        }
    }

    @Test
    void aBrowserSignsInThroughTheGatewayAndThePageListsItsIdentity() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.signIn("/private/", "alice", "{\"name\": \"Alice\"}");

        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("Signed in as <strong>alice</strong>"), page.body());
        assertTrue(page.body().contains("<code>X-Forwarded-User</code></td><td><code>alice</code>"), page.body());
        assertTrue(page.body().contains("<code>X-Forwardauth-name</code></td><td><code>Alice</code>"), page.body());
        assertTrue(page.body().contains("<code>Authorization</code></td><td><code>Bearer eyJ"), page.body());
        // The access token only begins on the page: no JWT-sized run of base64url shows.
        assertFalse(Pattern.compile("eyJ[A-Za-z0-9_-]{20,}").matcher(page.body()).find(), page.body());
    }

    @Test
    void theAdminPageNeedsAScopeTheDemoUserLacks() throws Exception {
        Browser browser = new Browser();
        browser.signIn("/private/", "bob", "");

        HttpResponse<String> admin = browser.get("/admin/", "Accept", "text/html");

        assertEquals(403, admin.statusCode(), admin.body());
        assertTrue(admin.body().contains("missing scopes: admin:site"), admin.body());
    }

    @Test
    void identityHeadersSentByTheBrowserNeverReachThePage() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> anonymous = browser.get("/public/", "X-Forwarded-User", "mallory",
                "X-Forwardauth-email", "mallory@example.com", "Accept", "text/html");
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertTrue(anonymous.body().contains("not signed in"), anonymous.body());
        assertFalse(anonymous.body().contains("mallory"), anonymous.body());

        browser.signIn("/private/", "carol", "");
        HttpResponse<String> signedIn = browser.get("/private/", "X-Forwarded-User", "mallory",
                "X-Forwardauth-email", "mallory@example.com", "Accept", "text/html");
        assertEquals(200, signedIn.statusCode(), signedIn.body());
        assertTrue(signedIn.body().contains("Signed in as <strong>carol</strong>"), signedIn.body());
        assertFalse(signedIn.body().contains("mallory"), signedIn.body());
    }

    @Test
    void signingOutEndsTheSessionAndComesBackToTheGateway() throws Exception {
        Browser browser = new Browser();
        browser.signIn("/private/", "dave", "");
        assertTrue(browser.cookies.containsKey("FORWARDAUTH"), browser.cookies.toString());

        HttpResponse<String> signout = browser.get("/oauth2/signout", "Accept", "text/html");
        assertEquals(302, signout.statusCode(), signout.body());
        assertFalse(browser.cookies.containsKey("FORWARDAUTH"), browser.cookies.toString());
        URI atIdp = location(signout);
        assertEquals(idp.getAuthority(), atIdp.getAuthority());

        HttpResponse<String> back = browser.send(HttpRequest.newBuilder(atIdp));
        assertEquals(302, back.statusCode(), back.body());
        assertEquals(gateway, location(back));
        HttpResponse<String> home = browser.get("/", "Accept", "text/html");
        assertTrue(home.body().contains("not signed in"), home.body());

        HttpResponse<String> again = browser.get("/private/", "Accept", "text/html");
        assertEquals(307, again.statusCode(), again.body());
        assertTrue(location(again).toString().startsWith(idp + "/authorize?"), location(again).toString());
    }

    static URI location(HttpResponse<?> response) {
        return URI.create(response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no Location in " + response.statusCode() + " " + response.headers())));
    }

    /** Follows nothing by itself; keeps cookies by name like a browser on one host would. */
    static final class Browser {
        final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        final Map<String, String> cookies = new LinkedHashMap<>();

        /** Opens a protected page, signs in at the development IdP's form, and returns the page it lands on. */
        HttpResponse<String> signIn(String path, String user, String claims) throws Exception {
            HttpResponse<String> first = get(path, "Accept", "text/html");
            assertEquals(307, first.statusCode(), first.body());
            URI authorize = location(first);
            assertTrue(authorize.toString().startsWith(idp + "/authorize?"), authorize.toString());

            HttpResponse<String> form = send(HttpRequest.newBuilder(authorize));
            assertEquals(200, form.statusCode(), form.body());
            assertTrue(form.body().contains("name=\"username\""), form.body());

            // The form has no action: it posts back to the authorize URL it was served from.
            String body = "username=" + encode(user) + "&claims=" + encode(claims);
            HttpResponse<String> signedIn = send(HttpRequest.newBuilder(authorize)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(302, signedIn.statusCode(), signedIn.body());
            URI callback = location(signedIn);
            assertEquals(gateway.resolve("/oauth2/signin"), URI.create(callback.toString().split("\\?")[0]));

            HttpResponse<String> session = send(HttpRequest.newBuilder(callback).header("Accept", "text/html"));
            assertEquals(302, session.statusCode(), session.body());
            assertEquals(gateway.resolve(path), location(session));
            return get(path, "Accept", "text/html");
        }

        HttpResponse<String> get(String path, String... headers) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path));
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return send(request);
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                List<String> pairs = new ArrayList<>();
                cookies.forEach((name, value) -> pairs.add(name + "=" + value));
                request.header("Cookie", String.join("; ", pairs));
            }
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('=')).trim();
                String value = pair.substring(pair.indexOf('=') + 1).trim();
                if (value.isEmpty() || setCookie.toLowerCase().contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
