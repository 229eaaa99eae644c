package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forwardauth.forward.ForwardedRequest;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class RequestScopeTest {

    @Test
    void aLoginReturnsToTheOriginalUrlAndA401PointsAtTheAppsStartUrl() {
        ForwardAuthSecurity security = TestSetup.security(TestSetup.deadIdp(), Clock.systemUTC());
        AppSecurity app = security.appFor("app.example.com").orElseThrow();
        ForwardedRequest request = new ForwardedRequest("GET", "https", "App.Example.com", "app.example.com", "/api",
                "/Items?id=1");
        RequestScope scope = new RequestScope(security, request, app, "/api/Items", app.policy().requirementFor("GET", "/api/Items"),
                false);

        assertEquals("https://App.Example.com/api/Items?id=1", scope.originalUrl());
        assertEquals("https://app.example.com/oauth2/start?rd=https%3A%2F%2FApp.Example.com%2Fapi%2FItems%3Fid%3D1",
                scope.startUrl());
    }
}
