package dev.forwardauth.security.machine;

import java.time.Duration;

/** The token endpoint's answer: the access token and its {@code expires_in} (null when it sent none). */
public record IssuedToken(String accessToken, Duration lifetime) {
    @Override
    public String toString() {
        return "IssuedToken[accessToken=***, lifetime=" + lifetime + "]";
    }
}
