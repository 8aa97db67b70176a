package io.parley.kit;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a Kafka client that a service makes itself (not through a messaging channel), taken from the same
 * {@code kafka.*} configuration Quarkus gives every channel (the {@code default-kafka-broker} map: bootstrap servers,
 * and with them {@code security.protocol}, {@code sasl.*}, {@code ssl.*} on a TLS/SASL listener), so that such a
 * client reaches the broker wherever the channels do.
 */
public final class KafkaSettings {

    private KafkaSettings() {}

    /**
     * @param defaults  the {@code default-kafka-broker} map (keys without the {@code kafka.} prefix)
     * @param known     the names the client type knows ({@code ProducerConfig.configNames()},
     *                  {@code AdminClientConfig.configNames()}, ...): other names are left out, as the client would
     *                  warn about them
     * @param overrides the client's own settings, which win
     * @return a new map of the client's settings
     */
    public static Map<String, Object> of(
            Map<String, Object> defaults, Set<String> known, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>();
        defaults.forEach((name, value) -> {
            if (known.contains(name) && value != null) {
                settings.put(name, value);
            }
        });
        settings.putAll(overrides);
        return settings;
    }
}
