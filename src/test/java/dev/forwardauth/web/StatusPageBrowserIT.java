package dev.forwardauth.web;

import static dev.forwardauth.web.Logins.AUDIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in a real browser: Debian's headless Chromium (through Debian's chromedriver, both
 * installed by .ci/run) logs in at mock-oauth2-server and reads /status as a person would. It also leaves
 * target/screenshots/status-page.png, the picture docs/status-page.png was taken from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserIT {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CLIENT_SECRET = "browser-it-client-secret-Qm2";
    static final Path SCREENSHOT = Path.of("target", "screenshots", "status-page.png");

    MockOAuth2Server idp;
    EmbeddedForwardAuth forwardauth;
    String base;
    WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        Logins.warmUp(idp);
        // No proxy in between: the browser talks to forwardauth on localhost, so the app is "localhost" and the
        // redirect-uri is forwardauth's own address, known once its port is bound.
        forwardauth = new EmbeddedForwardAuth(port -> """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "apps": [{
                    "name": "localhost",
                    "client-id": "forwardauth",
                    "client-secret": "%s",
                    "audience": "%s",
                    "redirect-uri": "http://localhost:%d/oauth2/signin",
                    "rules": [
                      {"path": "/public/**", "allow": "anonymous"},
                      {"path": "/admin/**", "required-permissions": ["write:admin"]}
                    ]
                  }]
                }
                """.formatted(idp.issuerUrl(Logins.ISSUER_ID), Logins.SESSION_SECRET, CLIENT_SECRET, AUDIENCE, port));
        base = "http://localhost:" + URI.create(forwardauth.uri("/").toString()).getPort();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1200",
                "--no-first-run", "--disable-extensions", "--lang=en-US");
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        forwardauth.close();
        idp.shutdown();
    }

    @Test
    void anAdminLogsInAndReadsTheStatusPage() throws Exception {
        // Decisions for the page to list, asked the way Traefik asks (on the browser's behalf).
        TraefikClient traefik = new TraefikClient();
        assertEquals(200, traefik.authorizeWith(forwardauth.uri("/authorize"), "X-Forwarded-Method", "GET",
                "X-Forwarded-Proto", "http", "X-Forwarded-Host", "localhost",
                "X-Forwarded-Uri", "/public/<script>alert(1)</script>").statusCode());
        HttpResponse<String> unauthenticated = traefik.authorize(forwardauth.uri("/authorize"), "DELETE",
                "http://localhost/reports/7", "Accept", "application/json");
        assertEquals(401, unauthenticated.statusCode(), unauthenticated.body());
        String token = Logins.accessToken(idp, "svc-reporter", Map.of("permissions", List.of("read:reports")));
        HttpResponse<String> denied = traefik.authorize(forwardauth.uri("/authorize"), "POST",
                "http://localhost/admin/users", "Authorization", "Bearer " + token, "Accept", "application/json");
        assertEquals(403, denied.statusCode(), denied.body());

        // The login at the IdP hands out these claims at its token endpoint.
        idp.enqueueCallback(Logins.user("alice", Map.of("name", "Alice Admin",
                "permissions", List.of("admin:forwardauth", "read:reports"))));
        // One navigation: /status, /start, the IdP and /signin answer with HTTP redirects, which the browser
        // follows before get() returns with the page loaded.
        browser.get(base + "/oauth2/status");

        assertEquals(base + "/oauth2/status", browser.getCurrentUrl());

        assertEquals("forwardauth status", browser.getTitle());
        String text = browser.findElement(By.tagName("body")).getText();
        assertTrue(text.contains("Version " + System.getProperty("forwardauth.version", "")), text);
        assertTrue(text.contains("for alice."), text);
        assertTrue(text.contains("localhost"), "the app: " + text);
        assertTrue(text.contains("client-id forwardauth"), text);
        assertTrue(text.contains("client-secret set (hidden)"), text);
        assertTrue(text.contains("session-secret set (hidden)"), text);
        assertFalse(browser.getPageSource().contains(CLIENT_SECRET), "client secret in the page");
        assertFalse(browser.getPageSource().contains(Logins.SESSION_SECRET), "session secret in the page");
        assertTrue(text.contains("discovered at"), text);

        // The decision with markup in its path is a row whose cell shows that markup as text.
        WebElement scriptRow = row("/public/<script>alert(1)</script>");
        assertTrue(scriptRow.getText().contains("200 allowed, anonymous"), scriptRow.getText());
        WebElement unauthenticatedRow = row("/reports/7");
        assertTrue(unauthenticatedRow.getText().contains("DELETE"), unauthenticatedRow.getText());
        assertTrue(unauthenticatedRow.getText().contains("401 sign-in required"), unauthenticatedRow.getText());
        WebElement deniedRow = row("/admin/users");
        assertTrue(deniedRow.getText().contains("svc-reporter"), deniedRow.getText());
        assertTrue(deniedRow.getText().contains("403 denied"), deniedRow.getText());
        assertTrue(deniedRow.getText().contains("missing permissions: write:admin"), deniedRow.getText());
        assertTrue(browser.findElements(By.tagName("script")).isEmpty(), "a script element in the page");

        // The CSP lets exactly the page's own style apply: the table headers have its background.
        assertEquals("rgba(244, 244, 244, 1)",
                browser.findElement(By.tagName("th")).getCssValue("background-color"));

        screenshot();
    }

    private WebElement row(String path) {
        for (WebElement row : browser.findElements(By.cssSelector("tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            if (cells.size() == 9 && cells.get(4).getText().equals(path)) {
                return row;
            }
        }
        throw new AssertionError("no decision row for " + path + " in " + browser.getPageSource());
    }

    private void screenshot() throws Exception {
        // The whole page, not only the window: Chromium's own capture beyond the viewport (DevTools protocol,
        // through chromedriver), clipped to the document's size.
        ChromeDriver chrome = (ChromeDriver) browser;
        Map<String, Object> metrics = chrome.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "scale", 1,
                "width", ((Number) size.get("width")).doubleValue(),
                "height", ((Number) size.get("height")).doubleValue());
        Map<String, Object> shot = chrome.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, Base64.getDecoder().decode((String) shot.get("data")));
    }
}
