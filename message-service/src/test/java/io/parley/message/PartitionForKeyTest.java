package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.client.KafkaEndOffsets;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The replica sync looks at the partition that Kafka's producer chose for the conversation's key. */
class PartitionForKeyTest {

    @Test
    void theSamePartitionAsTheProducersDefaultPartitioner() {
        for (int i = 0; i < 10_000; i++) {
            String key = UUID.randomUUID().toString();
            for (int partitions : new int[] {1, 6, 12}) {
                assertThat(KafkaEndOffsets.partitionFor(key, partitions))
                        .isEqualTo(
                                BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}
