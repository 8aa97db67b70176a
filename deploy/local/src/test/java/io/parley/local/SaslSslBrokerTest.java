package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.KafkaBroker;
import io.parley.infra.KafkaSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's {@code SASL_SSL} client listener (what {@code PARLEY_KAFKA_SECURITY=sasl_ssl} starts): a
 * record goes through it with the settings it hands out, and a broker started again on the same folders keeps its
 * certificate and its user's password.
 */
class SaslSslBrokerTest {

    @TempDir
    Path dir;

    @Test
    void aRecordGoesThroughWithTheHandedOutSettingsAndTheyHoldAfterARestart() throws Exception {
        Map<String, String> first;
        try (KafkaBroker broker = KafkaBroker.startSaslSsl(dir.resolve("log"), dir.resolve("security"), 0, 0, 0)) {
            first = broker.clientSettings();
            assertThat(first)
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("ssl.truststore.type", "PEM");
            assertThat(Files.readString(dir.resolve("security/ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(KafkaSecurity.clientEnvironment(dir.resolve("security")))
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("KAFKA_SASL_JAAS_CONFIG", first.get("sasl.jaas.config"))
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            roundTrip(first, "before");
        }
        try (KafkaBroker again = KafkaBroker.startSaslSsl(dir.resolve("log"), dir.resolve("security"), 0, 0, 0)) {
            assertThat(again.clientSettings().get("sasl.jaas.config")).isEqualTo(first.get("sasl.jaas.config"));
            roundTrip(again.clientSettings(), "after");
        }
    }

    private static void roundTrip(Map<String, String> client, String value) throws Exception {
        Map<String, Object> producer = new HashMap<>(client);
        producer.put("key.serializer", StringSerializer.class.getName());
        producer.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> out = new KafkaProducer<>(producer)) {
            out.send(new ProducerRecord<>("sasl-check", "key", value)).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumer = new HashMap<>(client);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-check-" + value);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> seen = new java.util.ArrayList<>();
        try (KafkaConsumer<String, String> in = new KafkaConsumer<>(consumer)) {
            in.subscribe(List.of("sasl-check"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!seen.contains(value) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : in.poll(Duration.ofMillis(500))) {
                    seen.add(record.value());
                }
            }
        }
        assertThat(seen).contains(value);
    }
}
