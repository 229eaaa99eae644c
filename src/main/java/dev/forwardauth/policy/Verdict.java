package dev.forwardauth.policy;

import java.util.List;

// What a token's grants make of an AUTHENTICATED requirement.
public sealed interface Verdict {

    Allowed ALLOWED = new Allowed();

    record Allowed() implements Verdict {
    }

    // Only what is missing, in the order the config lists it, so the 403 tells the user exactly what to ask for.
    record Missing(List<String> scopes, List<String> permissions) implements Verdict {
        public Missing {
            scopes = List.copyOf(scopes);
            permissions = List.copyOf(permissions);
        }
    }
}
