package io.parley.kit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes the outbox to Kafka, in id order, and deletes what Kafka acknowledged: in the statement that reads the
 * next batch (one transaction per batch, not two), so the rows of the last batch stay until the next read, at most
 * {@code parley.outbox.poll-interval} later, or until the relay stops. One relay at a time per
 * database publishes (it holds a PostgreSQL advisory lock), so events keep the order of their commits even with
 * several instances of a service. The relay runs after every commit that calls {@link #wakeUp()}, and polls
 * otherwise, which covers rows committed by another instance or left by a crash.
 *
 * <p>A crash after Kafka's acknowledgement but before the delete publishes those rows again on restart: consumers
 * drop the duplicates by {@code eventId}.
 *
 * <p>A row written while a trace was recorded ({@link Outbox}) is published with that trace context as its record's
 * W3C {@code traceparent} header, from which the consumers' messaging spans continue the writer's trace.
 *
 * <p>Every instance, publishing or not, measures the outbox about once a second for its metrics:
 * {@code parley_outbox_lag_seconds}, the age of the oldest row not yet published (0 when none waits; it keeps growing
 * between measurements while that row waits), and {@code parley_outbox_depth}, the rows waiting (counted up to
 * {@value #DEPTH_COUNTED}). Both are the database's, so every instance of a service reports the same figures.
 */
@ApplicationScoped
public class OutboxRelay {

    /** The advisory lock key that elects the publishing relay ("parley outbox"). */
    private static final long LEADER_LOCK = 0x7061726C65790001L;

    private static final int BATCH = 500;
    /** The W3C Trace Context header a consumer's tracing reads the parent span from. */
    static final String TRACEPARENT = "traceparent";
    /** The most rows the depth counts: a count over a huge backlog every second would cost more than it tells. */
    static final int DEPTH_COUNTED = 100_000;

    private static final long MEASURE_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

    private final Pool pool;
    private final boolean enabled;
    private final Map<String, Object> kafka;
    private final Duration pollInterval;
    private final Semaphore wake = new Semaphore(0);
    /** Callers waiting for outbox rows to be acknowledged by Kafka, by row id. */
    private final ConcurrentHashMap<Long, List<CompletableFuture<Boolean>>> waiters = new ConcurrentHashMap<>();

    private volatile boolean running;
    private volatile boolean paused;
    private Thread thread;
    private KafkaProducer<String, byte[]> producer;
    private final MeterRegistry registry;
    /** The last measurement: rows waiting, the oldest one's age in seconds (by the database's clock), and when. */
    private volatile long depth;

    private volatile double oldestAgeSeconds;
    private volatile long measuredAtNanos = System.nanoTime();
    /** Ids Kafka acknowledged and the next read deletes; the relay thread's own. */
    private Long[] acknowledged = new Long[0];
    /** When the relay's thread last measured (or tried to); its own, so not volatile. */
    private long lastMeasureNanos = System.nanoTime() - MEASURE_EVERY_NANOS;

    /**
     * @param enabled          {@code parley.outbox.enabled}: whether this service has an outbox to publish
     * @param kafka            the service's kafka.* settings (the default-kafka-broker map: bootstrap servers, TLS, SASL)
     * @param pollInterval     {@code parley.outbox.poll-interval}: how often the outbox is read besides the wake-ups
     * @param registry         where the outbox's lag and depth are registered (only when enabled)
     */
    public OutboxRelay(
            Pool pool,
            @ConfigProperty(name = "parley.outbox.enabled", defaultValue = "false") boolean enabled,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "parley.outbox.poll-interval", defaultValue = "100ms") Duration pollInterval,
            MeterRegistry registry) {
        this.pool = pool;
        this.enabled = enabled;
        this.kafka = kafka;
        this.pollInterval = pollInterval;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        // the service's kafka.* settings (bootstrap servers, TLS, SASL), as its channels have them
        producer = new KafkaProducer<>(
                KafkaSettings.of(
                        kafka,
                        ProducerConfig.configNames(),
                        Map.of(
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.LINGER_MS_CONFIG,
                                0,
                                ProducerConfig.CLIENT_ID_CONFIG,
                                "outbox-relay")),
                new StringSerializer(),
                new ByteArraySerializer());
        Gauge.builder("parley.outbox.lag", this, OutboxRelay::lagSeconds)
                .baseUnit("seconds")
                .description("Age of the oldest outbox row not yet published to Kafka; 0 when none waits")
                .register(registry);
        Gauge.builder("parley.outbox.depth", this, relay -> relay.depth)
                .description("Outbox rows not yet published to Kafka (counted up to " + DEPTH_COUNTED + ")")
                .register(registry);
        running = true;
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            wake.release();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Publish soon: a transaction that appended to the outbox has committed. */
    public void wakeUp() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * Completes with true once the outbox row {@code outboxId} has been acknowledged by Kafka (published by this
     * instance's relay or by another instance's), or with false when {@code timeout} passes first or this instance
     * does not publish at all ({@code parley.outbox.enabled=false}); it never fails. A caller that acknowledges a
     * change only once its event is in Kafka uses it after the commit. The item is emitted on the caller's Vert.x
     * context when there is one.
     */
    public Uni<Boolean> awaitPublished(long outboxId, Duration timeout) {
        if (!enabled) {
            return Uni.createFrom().item(false);
        }
        CompletableFuture<Boolean> published = new CompletableFuture<>();
        waiters.computeIfAbsent(outboxId, id -> new CopyOnWriteArrayList<>()).add(published);
        wakeUp();
        Context context = Vertx.currentContext();
        Uni<Boolean> outcome = Uni.createFrom()
                .completionStage(published)
                .ifNoItem()
                .after(timeout)
                .recoverWithItem(false)
                .onTermination()
                .invoke(() -> forget(outboxId, published));
        return context == null ? outcome : outcome.emitOn(command -> context.runOnContext(ignored -> command.run()));
    }

    private void forget(long outboxId, CompletableFuture<Boolean> published) {
        waiters.computeIfPresent(outboxId, (id, list) -> {
            list.remove(published);
            return list.isEmpty() ? null : list;
        });
    }

    private void settle(Long outboxId) {
        List<CompletableFuture<Boolean>> done = waiters.remove(outboxId);
        if (done != null) {
            done.forEach(f -> f.complete(true));
        }
    }

    /** Completes the waiters whose rows are gone from the outbox: another instance's relay published them. */
    private void settleWaiters() {
        if (waiters.isEmpty()) {
            return;
        }
        for (Long id : acknowledged) {
            settle(id); // acknowledged by Kafka, not deleted yet: a waiter that came after the acknowledgement
        }
        if (waiters.isEmpty()) {
            return;
        }
        Long[] waiting = waiters.keySet().toArray(Long[]::new);
        java.util.Set<Long> still = new java.util.HashSet<>();
        pool.preparedQuery("SELECT id FROM outbox WHERE id = ANY($1)")
                .executeAndAwait(Tuple.of(waiting))
                .forEach(row -> still.add(row.getLong(0)));
        for (Long id : waiting) {
            if (!still.contains(id)) {
                settle(id);
            }
        }
    }

    /** Stops publishing, as a process that died after its commits would; for tests of crash recovery. */
    public void pause() {
        paused = true;
    }

    /** Publishes again, as the restarted process does. */
    public void resume() {
        paused = false;
        wakeUp();
    }

    /** The oldest waiting row's age now: its age when measured plus the time since, or 0 when none waited. */
    double lagSeconds() {
        return depth == 0 ? 0 : oldestAgeSeconds + (System.nanoTime() - measuredAtNanos) / 1e9;
    }

    /** Measures the outbox's depth and the age of its oldest row, at most once a second; a failure is retried later. */
    private void measureIfDue() {
        long now = System.nanoTime();
        if (now - lastMeasureNanos < MEASURE_EVERY_NANOS) {
            return;
        }
        lastMeasureNanos = now;
        try {
            // the rows Kafka acknowledged that the next read deletes are not waiting
            Row row = pool.preparedQuery("""
                            SELECT (SELECT count(*) FROM (SELECT 1 FROM outbox WHERE id <> ALL($1) LIMIT %d) waiting)
                                       AS depth,
                                   (SELECT extract(epoch FROM clock_timestamp() - created_at)::float8
                                    FROM outbox WHERE id <> ALL($1) ORDER BY id LIMIT 1) AS oldest""".formatted(DEPTH_COUNTED))
                    .executeAndAwait(Tuple.of((Object) acknowledged))
                    .iterator()
                    .next();
            Double oldest = row.getDouble("oldest");
            oldestAgeSeconds = oldest == null ? 0 : Math.max(0, oldest);
            measuredAtNanos = System.nanoTime();
            depth = row.getLong("depth");
        } catch (RuntimeException e) {
            Log.debugf("outbox not measured: %s", e.toString());
        }
    }

    private void run() {
        SqlConnection leader = null;
        while (running) {
            measureIfDue();
            try {
                if (leader == null) {
                    leader = acquireLeadership();
                    if (leader == null) {
                        settleWaiters();
                        sleep(waiters.isEmpty() ? Duration.ofSeconds(1) : pollInterval);
                        continue;
                    }
                }
                if (paused || publishBatch(leader) < BATCH) {
                    settleWaiters();
                    wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                Log.warnf("outbox relay: %s; retrying", e.toString());
                if (leader != null) {
                    leader.closeAndAwait();
                    leader = null;
                }
                sleep(Duration.ofSeconds(1));
            }
        }
        if (leader != null) {
            try {
                deleteAcknowledged(leader);
            } catch (RuntimeException e) {
                Log.debugf("outbox: acknowledged rows not deleted at stop (published again at the next start): %s", e);
            }
            leader.closeAndAwait();
        }
    }

    /** Deletes the rows of the last batch Kafka acknowledged, when the relay stops (no next read will). */
    private void deleteAcknowledged(SqlConnection leader) {
        if (acknowledged.length > 0) {
            leader.preparedQuery("DELETE FROM outbox WHERE id = ANY($1)")
                    .executeAndAwait(Tuple.of((Object) acknowledged));
            acknowledged = new Long[0];
        }
    }

    private SqlConnection acquireLeadership() {
        SqlConnection connection = pool.getConnectionAndAwait();
        boolean acquired = connection
                .preparedQuery("SELECT pg_try_advisory_lock($1)")
                .executeAndAwait(Tuple.of(LEADER_LOCK))
                .iterator()
                .next()
                .getBoolean(0);
        if (!acquired) {
            connection.closeAndAwait();
            return null;
        }
        return connection;
    }

    /**
     * Deletes the last acknowledged batch and reads the next one in one statement, publishes it and waits for Kafka's
     * acknowledgement; answers how many rows it published. The acknowledged rows' waiters are settled at once; the
     * rows themselves go with the next read. It works on the connection that holds the leader lock: if that
     * connection is lost, so is the lock, and the relay stops before another one can take over (which publishes the
     * rows not deleted yet again: consumers drop the duplicates by {@code eventId}).
     */
    private int publishBatch(SqlConnection leader) throws Exception {
        // A data-modifying WITH and the main query see the same snapshot: the deleted ids are left out by hand.
        // With nothing to delete (the relay's polls while idle), the read alone.
        RowSet<Row> rows = acknowledged.length == 0
                ? leader.preparedQuery(
                                "SELECT id, topic, record_key, payload, traceparent FROM outbox ORDER BY id LIMIT "
                                        + BATCH)
                        .executeAndAwait()
                : leader.preparedQuery("WITH gone AS (DELETE FROM outbox WHERE id = ANY($1))"
                                + " SELECT id, topic, record_key, payload, traceparent FROM outbox WHERE id <> ALL($1)"
                                + " ORDER BY id LIMIT " + BATCH)
                        .executeAndAwait(Tuple.of((Object) acknowledged));
        acknowledged = new Long[0];
        if (rows.size() == 0) {
            return 0;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(rows.size());
        List<Long> ids = new ArrayList<>(rows.size());
        for (Row row : rows) {
            ids.add(row.getLong("id"));
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    row.getString("topic"),
                    row.getString("record_key"),
                    row.getBuffer("payload").getBytes());
            String traceparent = row.getString("traceparent");
            if (traceparent != null) {
                record.headers().add(new RecordHeader(TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII)));
            }
            sends.add(producer.send(record));
        }
        for (Future<RecordMetadata> send : sends) {
            send.get(30, TimeUnit.SECONDS);
        }
        acknowledged = ids.toArray(Long[]::new);
        if (!waiters.isEmpty()) {
            ids.forEach(this::settle);
        }
        return ids.size();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
