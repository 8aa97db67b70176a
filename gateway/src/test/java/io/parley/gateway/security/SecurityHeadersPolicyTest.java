package io.parley.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.gateway.config.WebOidc;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The app's Content-Security-Policy and what it allows of the token issuer. */
class SecurityHeadersPolicyTest {

    @Test
    void anHttpIssuerMayBeConnectedToAndFramedAndNothingElseIs() {
        assertThat(WebOidc.origin("https://id.example.com/realms/parley")).hasValue("https://id.example.com");
        assertThat(WebOidc.origin("http://LOCALHOST:8180/realms/x")).hasValue("http://localhost:8180");
        assertThat(WebOidc.origin("parley-local")).isEmpty();
        assertThat(WebOidc.origin("urn:parley:issuer")).isEmpty();
        assertThat(WebOidc.origin("javascript:alert(1)")).isEmpty();
        assertThat(WebOidc.origin("https://exa mple.com")).isEmpty();

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
