package dev.forwardauth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointQueryRedirectionActionBuilderTest {
    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "https://idp/authorize | https://idp/authorize?audience=a&scope=openid => https://idp/authorize?audience=a&scope=openid",
        "https://idp/authorize?p=b2c | https://idp/authorize?p=b2c?audience=a => https://idp/authorize?p=b2c&audience=a",
        "https://idp/authorize?prompt=login&x=1 | https://idp/authorize?prompt=login&x=1?audience=a&s=1 => https://idp/authorize?prompt=login&x=1&audience=a&s=1",
        "https://idp/authorize? | https://idp/authorize??audience=a => https://idp/authorize?audience=a",
        "https://idp/authorize?x=1& | https://idp/authorize?x=1&?audience=a => https://idp/authorize?x=1&audience=a",
    })
    void theEndpointsOwnQueryIsKeptAndTheParametersFollowIt(String endpointAndUrl, String expected) {
        String[] parts = endpointAndUrl.split(" \\| ");
        assertEquals(expected, EndpointQueryRedirectionActionBuilder.joinQuery(parts[0], parts[1]));
    }
}
