package io.parley.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void theChannelsTlsAndSaslSettingsAreKeptAndTheClientsOwnWin() {
        Map<String, Object> defaults = Map.of(
                "bootstrap.servers",
                "kafka:9093",
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "x required;",
                "ssl.truststore.type",
                "PEM",
                "acks",
                "1",
                "group.id",
                "not-a-producer-setting");
        Map<String, Object> settings = KafkaSettings.of(
                defaults, ProducerConfig.configNames(), Map.of("acks", "all", "client.id", "outbox-relay"));
        assertThat(settings)
                .containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "x required;")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("acks", "all")
                .containsEntry("client.id", "outbox-relay")
                .doesNotContainKey("group.id");
    }
}
