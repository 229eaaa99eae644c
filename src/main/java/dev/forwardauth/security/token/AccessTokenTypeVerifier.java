package dev.forwardauth.security.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.Locale;

/**
 * Header {@code typ}: absent, {@code JWT} (Auth0 and most IdPs) or {@code at+jwt} (RFC 9068). Unlike Nimbus's
 * {@code DefaultJOSEObjectTypeVerifier} this compares case-insensitively and treats the {@code application/}
 * prefix as optional, as media types are defined (RFC 7515, section 4.1.9). Anything else, notably
 * {@code id_token+jwt} or {@code logout+jwt}, is some other kind of token and is refused.
 */
final class AccessTokenTypeVerifier implements JOSEObjectTypeVerifier<SecurityContext> {

    @Override
    public void verify(JOSEObjectType type, SecurityContext context) throws TokenRejectedException {
        if (type == null || isAccepted(type.getType())) {
            return;
        }
        throw new TokenRejectedException(
                "access token type \"" + TokenRejectedException.echo(type.getType()) + "\" is not JWT or at+jwt");
    }

    private static boolean isAccepted(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        if (t.startsWith("application/")) {
            t = t.substring("application/".length());
        }
        return t.equals("jwt") || t.equals("at+jwt");
    }
}
