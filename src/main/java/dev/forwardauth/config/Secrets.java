package dev.forwardauth.config;

/** What a toString() shows in place of a secret: whether one is set, never any of its characters. */
final class Secrets {
    private Secrets() {
    }

    static String mask(String secret) {
        return secret == null ? "null" : "(hidden)";
    }
}
