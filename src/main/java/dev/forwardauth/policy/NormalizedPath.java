package dev.forwardauth.policy;

import java.util.Objects;

// What PathNormalizer made of an X-Forwarded-Uri: the path rules are matched against, or why it was refused.
public sealed interface NormalizedPath {

    record Valid(String path) implements NormalizedPath {
        public Valid {
            Objects.requireNonNull(path, "path");
        }
    }

    // reason names the problem without the header ("encoded "/" (%2F) is not allowed in a path"); it never
    // echoes request bytes, so it is safe in a 400 body and a log line. message() is the full 400 text.
    record Rejected(String reason) implements NormalizedPath {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }

        public String message() {
            return PathNormalizer.HEADER + ": " + reason;
        }
    }
}
