package dev.forwardauth.demo;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The forwardauth configuration the demo runs with, in the format of SPEC section 3: one app for the
 * gateway's host, logging in at the development IdP, with rules that show each kind of decision.
 */
final class DemoConfig {
    static final String CLIENT_ID = "forwardauth-demo";
    static final String AUDIENCE = "https://api.demo.forwardauth.invalid";
    static final String ADMIN_SCOPE = "admin:site";
    /** The host the browser uses; the app is named after it and the cookies are set for it. */
    static final String HOST = "localhost";

    private DemoConfig() {
    }

    /**
     * @param issuer the development IdP's issuer
     * @param gatewayPort where the browser reaches the sample page and forwardauth's /oauth2/ routes
     */
    static String json(URI issuer, int gatewayPort) {
        String gateway = "http://" + HOST + ":" + gatewayPort;
        // A fresh session secret each run: the demo's sessions end with it.
        return """
                {
                  "domain": "%s",
                  "session-secret": "%s",
                  "apps": [
                    {
                      "name": "%s",
                      "client-id": "%s",
                      "client-secret": "%s",
                      "audience": "%s",
                      "redirect-uri": "%s/oauth2/signin",
                      "return-to": "%s/",
                      "rules": [
                        {"path": "/", "allow": "anonymous"},
                        {"path": "/public/**", "allow": "anonymous"},
                        {"path": "/favicon.ico", "allow": "anonymous"},
                        {"path": "/admin/**", "required-scopes": ["%s"]}
                      ]
                    }
                  ]
                }
                """.formatted(issuer, randomSecret(), HOST, CLIENT_ID, randomSecret(), AUDIENCE, gateway, gateway,
                ADMIN_SCOPE);
    }

    /** 32 random bytes, base64url: 43 characters, none that JSON would need escaped. */
    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
