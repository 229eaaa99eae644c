package dev.forwardauth.forward;

/** Why the proxy's description of the request was refused; {@link #message()} names the header. */
public record ForwardedHeaderProblem(String header, String reason) {

    public String message() {
        return header + ": " + reason;
    }
}
