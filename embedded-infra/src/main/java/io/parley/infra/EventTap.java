package io.parley.infra;

import io.parley.events.Event;
import io.parley.events.EventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A test's view of one topic: it reads, from the moment it is opened, every event published there, with its key.
 * Tests use it to check what a service published, and {@link #publish} to play another service's part.
 */
public final class EventTap implements AutoCloseable {

    private final KafkaConsumer<String, Event> consumer;
    private final List<ConsumerRecord<String, Event>> seen = new ArrayList<>();

    private EventTap(KafkaConsumer<String, Event> consumer) {
        this.consumer = consumer;
    }

    /** Opens a tap on {@code topic}, positioned at its current end. */
    public static EventTap open(String bootstrapServers, String topic) {
        KafkaConsumer<String, Event> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new EventDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return new EventTap(consumer);
    }

    /** Every record read so far, polling for more for up to {@code wait}. */
    public synchronized List<ConsumerRecord<String, Event>> records(Duration wait) {
        consumer.poll(wait).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** The events of {@code type} read so far that match {@code filter}, polling briefly for more. */
    public <T extends Event> List<T> events(Class<T> type, Predicate<T> filter) {
        return records(Duration.ofMillis(200)).stream()
                .map(ConsumerRecord::value)
                .filter(type::isInstance)
                .map(type::cast)
                .filter(filter)
                .toList();
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    /** Publishes {@code event} to {@code topic} under its own key and waits for the broker's acknowledgement. */
    public static void publish(String bootstrapServers, String topic, Event event) {
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish(topic, event);
        }
    }
}
