package io.parley.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The app's Content-Security-Policy and what it allows of the token issuer. */
class SecurityHeadersPolicyTest {

    @Test
    void anHttpIssuerMayBeConnectedToAndFramedAndNothingElseIs() {
        assertThat(SecurityHeaders.origin("https://id.example.com/realms/parley"))
                .hasValue("https://id.example.com");
        assertThat(SecurityHeaders.origin("http://LOCALHOST:8180/realms/x")).hasValue("http://localhost:8180");
        assertThat(SecurityHeaders.origin("parley-local")).isEmpty();
        assertThat(SecurityHeaders.origin("urn:parley:issuer")).isEmpty();
        assertThat(SecurityHeaders.origin("javascript:alert(1)")).isEmpty();
        assertThat(SecurityHeaders.origin("https://exa mple.com")).isEmpty();

        String withIssuer = SecurityHeaders.appPolicy(Optional.of("https://id.example.com"));
        assertThat(withIssuer)
                .contains("connect-src 'self' https://id.example.com;")
                .contains("frame-src 'self' https://id.example.com;")
                .contains("frame-ancestors 'none'");
        String without = SecurityHeaders.appPolicy(Optional.empty());
        assertThat(without).contains("connect-src 'self';").contains("frame-src 'self';");
    }

    @Test
    void htmlIsRecognisedWhateverItsParametersAndCase() {
        assertThat(SecurityHeaders.isHtml("text/html")).isTrue();
        assertThat(SecurityHeaders.isHtml("Text/HTML; charset=UTF-8")).isTrue();
        assertThat(SecurityHeaders.isHtml("application/json")).isFalse();
        assertThat(SecurityHeaders.isHtml(null)).isFalse();
    }
}
