package io.parley.infra;

import io.parley.events.Event;
import io.parley.events.EventSerializer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** A producer of events for tests that play another service's part and publish many events. */
public final class EventPublisher implements AutoCloseable {

    private final KafkaProducer<String, Event> producer;

    public EventPublisher(String bootstrapServers) {
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        0),
                new StringSerializer(),
                new EventSerializer());
    }

    /** Publishes {@code event} to {@code topic} under its own key and waits for the broker's acknowledgement. */
    public void publish(String topic, Event event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.key(), event)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + event.type(), e);
        }
    }

    /** Hands {@code event} to the producer without waiting; {@link #flush()} waits for everything handed over. */
    public void send(String topic, Event event) {
        producer.send(new ProducerRecord<>(topic, event.key(), event));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
