package dev.forwardauth.web;

/** Request attributes the web layer shares between its filters, servlets and the pac4j adapter. */
final class RequestAttributes {
    /** Boolean: the user's request was https, so cookies get {@code Secure}. */
    static final String SECURE = "dev.forwardauth.web.secure";
    /** Integer: the status of a redirect the adapter writes (307 for logins, 302 after /signin). */
    static final String REDIRECT_STATUS = "dev.forwardauth.web.redirectStatus";
    /** Boolean: the redirect goes back to the user's page and must pass the redirect-target check. */
    static final String CHECK_REDIRECT = "dev.forwardauth.web.checkRedirect";

    private RequestAttributes() {
    }
}
