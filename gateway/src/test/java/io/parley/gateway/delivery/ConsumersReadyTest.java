package io.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Where a delivery consumer starts reading when its partitions are given to it, first and after a rejoin. */
class ConsumersReadyTest {

    private static final TopicPartition PARTITION = new TopicPartition("parley.message-events", 3);

    @Test
    void theFirstAssignmentStartsAtTheEndAndARejoinGoesOnAfterTheLastRecordHandled() {
        ConsumersReady ready = new ConsumersReady();
        MockConsumer<String, String> consumer = new MockConsumer<>("latest");
        consumer.assign(List.of(PARTITION));
        consumer.updateEndOffsets(Map.of(PARTITION, 10L));

        ready.onPartitionsAssigned(consumer, List.of(PARTITION));
        assertThat(consumer.position(PARTITION)).as("from the end at first").isEqualTo(10);

        List<String> handled = new ArrayList<>();
        ready.handle(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 10, "k", "a"), handled::add);
        ready.handle(
                new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 11, "k", (String) null), handled::add);
        assertThat(handled).containsExactly("a"); // an unreadable record is skipped, and counted as handled

        // the broker restarted: while the group was joined again, records 12..19 were published
        consumer.updateEndOffsets(Map.of(PARTITION, 20L));
        consumer.seekToEnd(List.of(PARTITION));
        ready.onPartitionsAssigned(consumer, List.of(PARTITION));
        assertThat(consumer.position(PARTITION))
                .as("after the last record handled, not the end")
                .isEqualTo(12);
    }

    @Test
    void aRecordWhoseHandlerFailsIsNotReadAgain() {
        ConsumersReady ready = new ConsumersReady();
        try {
            ready.handle(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), 5, "k", "x"), v -> {
                throw new IllegalStateException("no");
            });
        } catch (IllegalStateException expected) {
            // the consumer's own failure handling applies
        }
        MockConsumer<String, String> consumer = new MockConsumer<>("latest");
        consumer.assign(List.of(PARTITION));
        consumer.updateEndOffsets(Map.of(PARTITION, 9L));
        ready.onPartitionsAssigned(consumer, List.of(PARTITION));
        assertThat(consumer.position(PARTITION)).isEqualTo(6);
    }
}
