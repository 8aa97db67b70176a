package io.parley.message.client;

import io.parley.kit.KafkaSettings;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Asks Kafka (through an {@link Admin} client with the service's {@code kafka.*} settings) where a keyed record's partition
 * ends: the partition a producer's default partitioner puts the key in, and that partition's end offset (the offset
 * the next record will get). A topic's partition count is asked once and kept. Made at startup (making an admin
 * client resolves the bootstrap addresses, which blocks) and closed at shutdown.
 */
@Startup
@ApplicationScoped
public class KafkaEndOffsets {

    /** A partition of a topic and its end offset when asked. */
    public record PartitionEnd(int partition, long endOffset) {}

    private final Admin admin;
    private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

    /**
     * @param kafka the {@code kafka.*} settings every channel of the service uses (bootstrap servers, and TLS and SASL
     *              settings where the broker needs them)
     */
    public KafkaEndOffsets(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.admin = Admin.create(KafkaSettings.of(
                kafka,
                AdminClientConfig.configNames(),
                Map.of(
                        AdminClientConfig.CLIENT_ID_CONFIG, "message-service-replica-sync",
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000)));
    }

    /**
     * The partition of {@code topic} that records keyed {@code key} go to, and its end offset now. Answers on a worker
     * thread, never on Kafka's; fails when Kafka cannot be asked.
     */
    public Uni<PartitionEnd> endOf(String topic, String key) {
        return partitionCount(topic)
                .chain(count -> {
                    TopicPartition partition = new TopicPartition(topic, partitionFor(key, count));
                    return Uni.createFrom()
                            .completionStage(() -> admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                                    .partitionResult(partition)
                                    .toCompletionStage())
                            .map(info -> new PartitionEnd(partition.partition(), info.offset()));
                })
                .emitOn(Infrastructure.getDefaultExecutor());
    }

    /**
     * The partition Kafka's default partitioner chooses for a record keyed {@code key} (its UTF-8 bytes, as
     * {@code StringSerializer} writes them) in a topic of {@code partitions} partitions.
     */
    public static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private Uni<Integer> partitionCount(String topic) {
        Integer known = partitionCounts.get(topic);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return Uni.createFrom()
                .completionStage(() -> admin.describeTopics(List.of(topic))
                        .topicNameValues()
                        .get(topic)
                        .toCompletionStage())
                .map(description -> {
                    int count = description.partitions().size();
                    partitionCounts.put(topic, count);
                    return count;
                });
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
