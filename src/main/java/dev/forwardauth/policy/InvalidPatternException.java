package dev.forwardauth.policy;

// The message is for the person who wrote the config; the validator puts the JSON path in front of it.
public class InvalidPatternException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidPatternException(String message) {
        super(message);
    }
}
