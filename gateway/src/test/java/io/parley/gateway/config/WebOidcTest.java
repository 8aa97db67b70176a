package io.parley.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The app's OpenID Connect settings: both or neither of authority and client, an http(s) authority. */
class WebOidcTest {

    private static GatewayConfig.Oidc settings(String authority, String clientId, String scope) {
        return new GatewayConfig.Oidc() {
            @Override
            public Optional<String> authority() {
                return Optional.ofNullable(authority);
            }

            @Override
            public Optional<String> clientId() {
                return Optional.ofNullable(clientId);
            }

            @Override
            public Optional<String> scope() {
                return Optional.ofNullable(scope);
            }
        };
    }

    @Test
    void noIssuerWhenNothingIsSet() {
        assertThat(WebOidc.of(settings(null, null, null))).isEmpty();
        assertThat(WebOidc.of(settings(" ", "", "openid"))).isEmpty();
    }

    @Test
    void anIssuerWithItsClientItsScopeAndItsOrigin() {
        WebOidc oidc = WebOidc.of(settings(" https://ID.example.com:8443/realms/parley ", "parley-web", "openid email"))
                .orElseThrow();
        assertThat(oidc.authority()).isEqualTo("https://ID.example.com:8443/realms/parley");
        assertThat(oidc.clientId()).isEqualTo("parley-web");
        assertThat(oidc.scope()).hasValue("openid email");
        assertThat(oidc.origin()).isEqualTo("https://id.example.com:8443");
        assertThat(WebOidc.of(settings("http://127.0.0.1:8180/realms/x", "app", null))
                        .orElseThrow()
                        .scope())
                .isEmpty();
    }

    @Test
    void halfASettingOrAnAuthorityThatIsNoHttpUrlStopsTheStart() {
        assertThatThrownBy(() -> WebOidc.of(settings("https://id.example.com", null, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PARLEY_WEB_OIDC_CLIENT_ID");
        assertThatThrownBy(() -> WebOidc.of(settings(null, "parley-web", null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PARLEY_WEB_OIDC_AUTHORITY");
        for (String bad :
                new String[] {"id.example.com/realms/x", "javascript:alert(1)", "urn:parley", "https://exa mple"}) {
            assertThatThrownBy(() -> WebOidc.of(settings(bad, "parley-web", null)))
                    .as(bad)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("http(s)");
        }
    }
}
