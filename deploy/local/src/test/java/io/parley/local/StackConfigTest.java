package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack's settings from the environment, as README's configuration table says. */
class StackConfigTest {

    private static final Path REPOSITORY = Path.of("/repo");

    @Test
    void withNothingSetTheDocumentedDefaultsApply() {
        StackConfig config = StackConfig.fromEnvironment(REPOSITORY, Map.of());
        assertThat(config.dataDir()).isEqualTo(REPOSITORY.resolve(".local-data"));
        assertThat(config.logs()).isEqualTo(REPOSITORY.resolve(".local-data/logs"));
        assertThat(config.gatewayPort()).isEqualTo(8080);
        assertThat(config.conversationPort()).isEqualTo(8081);
        assertThat(config.messagePort()).isEqualTo(8082);
        assertThat(config.notificationPort()).isEqualTo(8083);
        assertThat(config.kafkaPort()).isEqualTo(19092);
        assertThat(config.postgresPort()).isEqualTo(15432);
        assertThat(config.publicKeyLocation()).isNull();
        assertThat(config.issuer()).isNull();
        assertThat(config.managementPort("gateway")).isZero(); // a free one, picked at start
        assertThat(config.gateways()).isEqualTo(1);
    }

    @Test
    void oneOrTwoGatewaysAndNothingElse() {
        assertThat(StackConfig.fromEnvironment(REPOSITORY, Map.of("PARLEY_GATEWAYS", " 2 "))
                        .gateways())
                .isEqualTo(2);
        assertThat(StackConfig.fromEnvironment(REPOSITORY, Map.of("PARLEY_GATEWAYS", ""))
                        .gateways())
                .isEqualTo(1);
        for (String bad : new String[] {"0", "3", "two"}) {
            assertThatThrownBy(() -> StackConfig.fromEnvironment(REPOSITORY, Map.of("PARLEY_GATEWAYS", bad)))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("PARLEY_GATEWAYS=" + bad);
        }
    }

    @Test
    void kafkaIsPlainUnlessSaslSslIsAsked() {
        assertThat(StackConfig.fromEnvironment(REPOSITORY, Map.of()).kafkaSaslSsl())
                .isFalse();
        assertThat(StackConfig.fromEnvironment(REPOSITORY, Map.of("PARLEY_KAFKA_SECURITY", " plaintext "))
                        .kafkaSaslSsl())
                .isFalse();
        assertThat(StackConfig.fromEnvironment(REPOSITORY, Map.of("PARLEY_KAFKA_SECURITY", "SASL_SSL"))
                        .kafkaSaslSsl())
                .isTrue();
        for (String bad : new String[] {"ssl", "sasl_plaintext", "yes"}) {
            assertThatThrownBy(() -> StackConfig.fromEnvironment(REPOSITORY, Map.of("PARLEY_KAFKA_SECURITY", bad)))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("PARLEY_KAFKA_SECURITY=" + bad);
        }
    }

    @Test
    void everySettingCanBeMovedAndBlankMeansUnset() {
        StackConfig config = StackConfig.fromEnvironment(
                REPOSITORY,
                Map.of(
                        "PARLEY_DATA_DIR", "/tmp/stack",
                        "PARLEY_GATEWAY_PORT", " 18080 ",
                        "PARLEY_MESSAGE_MANAGEMENT_PORT", "19002",
                        "PARLEY_CONVERSATION_PORT", "",
                        "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "https://idp.example/jwks",
                        "MP_JWT_VERIFY_ISSUER", "  "));
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/stack"));
        assertThat(config.gatewayPort()).isEqualTo(18080);
        assertThat(config.conversationPort()).isEqualTo(8081);
        assertThat(config.managementPort("message-service")).isEqualTo(19002);
        assertThat(config.publicKeyLocation()).isEqualTo("https://idp.example/jwks");
        assertThat(config.issuer()).isNull();
    }

    @Test
    void aPortThatIsNotATcpPortIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"0", "65536", "-1", "http", "80a"}) {
            assertThatThrownBy(() -> StackConfig.fromEnvironment(REPOSITORY, Map.of("PARLEY_KAFKA_PORT", bad)))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("PARLEY_KAFKA_PORT=" + bad)
                    .hasMessageContaining("1-65535");
        }
    }

    @Test
    void theNamedPortsAreEveryPortTheSettingsGiveAndNeverPickedByTheLauncher() {
        StackConfig config = StackConfig.fromEnvironment(
                REPOSITORY, Map.of("PARLEY_CONVERSATION_PORT", "25852", "PARLEY_MESSAGE_MANAGEMENT_PORT", "25853"));
        assertThat(config.namedPorts()).containsExactlyInAnyOrder(8080, 25852, 8082, 8083, 19092, 19093, 15432, 25853);
        io.parley.infra.FreePort.reserve(config.namedPorts());
        for (int i = 0; i < 300; i++) {
            assertThat(io.parley.infra.FreePort.find()).isNotIn(config.namedPorts());
        }
    }
}
