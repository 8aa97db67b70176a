package io.parley.message.domain;

import io.parley.message.store.AttachmentStore;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Deletes files for good (the files contract, section 5), every {@code parley.files.sweep-interval}: first marks deleted
 * the uploads never attached for longer than {@code parley.files.unattached-ttl}, then, for each deleted upload, deletes
 * its bytes (file and thumbnail) and only then its row. A store failure leaves the row, so the next sweep tries again:
 * bytes are deleted eventually and surely. Several instances may sweep at once: deleting bytes or a row twice changes
 * nothing, and marking an upload expired races safely with a send attaching it (both update the row under its lock,
 * and each only when the row is still unattached and live).
 */
@ApplicationScoped
public class FileSweeper {

    /** Rows handled per query. */
    static final int BATCH = 100;

    private final Pool pool;
    private final AttachmentStore attachments;
    private final FileService files;

    public FileSweeper(Pool pool, AttachmentStore attachments, FileService files) {
        this.pool = pool;
        this.attachments = attachments;
        this.files = files;
    }

    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${parley.files.sweep-interval}",
            delayed = "${parley.files.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            sweep();
        } catch (RuntimeException e) {
            Log.warnf("file sweep failed, tried again next time: %s", e.toString());
        }
    }

    /**
     * One sweep, now (blocking: call it from a worker thread).
     *
     * @return how many uploads were deleted for good (bytes and row)
     */
    public int sweep() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        files.limiter().prune(System.nanoTime());
        int expired = attachments
                .expireUnattached(pool, now.minus(files.config().unattachedTtl()), now)
                .await()
                .indefinitely();
        if (expired > 0) {
            Log.debugf("%d unattached uploads expired", expired);
        }
        int removed = 0;
        while (true) {
            List<Attachment> batch = attachments.deleted(pool, BATCH).await().indefinitely();
            boolean failed = false;
            for (Attachment row : batch) {
                try {
                    files.deleteBytes(row);
                    attachments.remove(pool, row.id()).await().indefinitely();
                    removed++;
                } catch (IOException | RuntimeException e) {
                    failed = true;
                    Log.warnf("bytes of deleted upload %s not deleted yet: %s", row.id(), e.toString());
                }
            }
            if (failed || batch.size() < BATCH) {
                return removed;
            }
        }
    }
}
