package dev.forwardauth.security;

import dev.forwardauth.security.machine.ClientCredentials;
import dev.forwardauth.security.machine.CredentialsRefusedException;
import dev.forwardauth.security.machine.MachineToken;
import dev.forwardauth.security.machine.MachineTokens;
import dev.forwardauth.security.token.IdpUnavailableException;
import java.util.Optional;
import org.pac4j.core.client.DirectClient;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.HttpConstants;
import org.pac4j.core.credentials.CredentialSource;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.credentials.UsernamePasswordCredentials;
import org.pac4j.core.profile.creator.AuthenticatorProfileCreator;

/**
 * pac4j's direct client for machine clients of apps with {@code allow-basic}: {@code Authorization: Basic
 * base64(client-id:client-secret)} is exchanged at the IdP for an access token (client-credentials grant, the
 * app's audience; cached, see {@link MachineTokens}), which from then on is exactly a bearer token the client
 * sent itself: the same profile, policy and identity headers, and it goes upstream as {@code Bearer}.
 * A refusal leaves its reason in the request for the 401.
 */
public final class BasicAuthClient extends DirectClient {
    public static final String ERROR_ATTRIBUTE = BasicAuthClient.class.getName() + ".error";

    private final MachineTokens tokens;

    BasicAuthClient(String name, MachineTokens tokens) {
        this.tokens = tokens;
        setName(name);
    }

    @Override
    protected void internalInit(boolean forceReinit) {
        setCredentialsExtractorIfUndefined(BasicAuthClient::extract);
        setAuthenticatorIfUndefined(this::authenticate);
        setProfileCreatorIfUndefined(AuthenticatorProfileCreator.INSTANCE);
    }

    /** The cached token's profile for this header, or empty; never asks the IdP (anonymous rules). */
    public Optional<AccessTokenProfile> cachedProfile(String authorization) {
        return ClientCredentials.fromBasicHeader(authorization)
                .map(tokens::cached)
                .map(token -> new AccessTokenProfile(token.validated(), token.raw()));
    }

    public MachineTokens tokens() {
        return tokens;
    }

    // Other schemes are the bearer client's: no credentials and no log line here. A malformed Basic header
    // cannot be any client's credentials, so it never reaches the IdP.
    private static Optional<Credentials> extract(CallContext ctx) {
        String header = ctx.webContext().getRequestHeader(HttpConstants.AUTHORIZATION_HEADER).orElse(null);
        if (!ClientCredentials.isBasic(header)) {
            return Optional.empty();
        }
        Optional<ClientCredentials> pair = ClientCredentials.fromBasicHeader(header);
        if (pair.isEmpty()) {
            ctx.webContext().setRequestAttribute(ERROR_ATTRIBUTE,
                    "malformed Basic credentials: expected base64(client-id:client-secret), both non-empty");
            return Optional.empty();
        }
        UsernamePasswordCredentials credentials =
                new UsernamePasswordCredentials(pair.get().clientId(), pair.get().secret());
        credentials.setSource(CredentialSource.HEADER.name());
        return Optional.of(credentials);
    }

    private Optional<Credentials> authenticate(CallContext ctx, Credentials credentials) {
        UsernamePasswordCredentials basic = (UsernamePasswordCredentials) credentials;
        try {
            MachineToken token = tokens.tokenFor(new ClientCredentials(basic.getUsername(), basic.getPassword()));
            credentials.setUserProfile(new AccessTokenProfile(token.validated(), token.raw()));
            return Optional.of(credentials);
        } catch (CredentialsRefusedException e) {
            ctx.webContext().setRequestAttribute(ERROR_ATTRIBUTE, e.getMessage());
            return Optional.empty();
        } catch (IdpUnavailableException e) {
            throw new IdpUnavailableError(e);
        }
    }
}
