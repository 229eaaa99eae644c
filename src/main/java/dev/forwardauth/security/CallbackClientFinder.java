package dev.forwardauth.security;

import java.util.List;
import org.pac4j.core.client.Client;
import org.pac4j.core.client.Clients;
import org.pac4j.core.client.finder.ClientFinder;
import org.pac4j.core.context.WebContext;

/**
 * At /signin the client is the app that started this login, as recorded in the pending-login cookie the
 * state names (several apps may share one redirect-uri). The signin servlet looks the login up before
 * pac4j runs and leaves the app in the request.
 */
final class CallbackClientFinder implements ClientFinder {

    @Override
    public List<Client> find(Clients clients, WebContext context, String clientNames) {
        Object app = context.getRequestAttribute(AppSecurity.ATTRIBUTE).orElse(null);
        if (app == null) {
            throw new IllegalStateException("a callback without a looked-up login");
        }
        return List.of(((AppSecurity) app).oidcClient());
    }
}
