package io.parley.events;

import org.apache.kafka.common.serialization.Deserializer;

/** Kafka value deserializer for {@link Event}; a record it cannot read fails with IllegalArgumentException. */
public class EventDeserializer implements Deserializer<Event> {
    @Override
    public Event deserialize(String topic, byte[] data) {
        return data == null ? null : EventJson.read(data);
    }
}
