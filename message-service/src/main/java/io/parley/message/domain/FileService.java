package io.parley.message.domain;

import io.parley.kit.Caller;
import io.parley.message.client.FileStore;
import io.parley.message.store.AttachmentStore;
import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Uploads, downloads and cancellations of files (the files contract, sections 1, 3 and 4). Every method blocks (it
 * reads files and waits for the database): call it from a worker thread, never from the event loop.
 */
@ApplicationScoped
public class FileService {

    private final Pool pool;
    private final AttachmentStore attachments;
    private final Access access;
    private final FileStore store;
    private final FilesConfig config;
    private final UploadRateLimiter limiter;
    private final Set<String> refusedTypes = new HashSet<>();
    private final Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));

    public FileService(Pool pool, AttachmentStore attachments, Access access, FileStore store, FilesConfig config) {
        this.pool = pool;
        this.attachments = attachments;
        this.access = access;
        this.store = store;
        this.config = config;
        this.limiter = new UploadRateLimiter(config.uploadsPerMinute(), Duration.ofMinutes(1));
        config.refusedTypes().forEach(t -> refusedTypes.add(t.strip().toLowerCase(Locale.ROOT)));
    }

    /** The settings of files. */
    public FilesConfig config() {
        return config;
    }

    /** The per-user upload counter (the sweeper forgets idle users through it). */
    UploadRateLimiter limiter() {
        return limiter;
    }

    /**
     * Stores an uploaded file of the conversation: checks who may, how many, its size and its detected type, makes
     * the image's dimensions and thumbnail, puts the bytes into the store, then records the upload. The caller still
     * owns {@code file} and deletes it.
     *
     * @param file       the part's bytes, complete, in a local temporary file; null when the body had not exactly one
     *                   part named file
     * @param clientName the part's filename as sent (made safe here)
     * @return the stored upload
     * @throws FileRefused NOT_FOUND, TOO_MANY, BAD_REQUEST, EMPTY, TOO_LARGE, REFUSED_TYPE or UNAVAILABLE
     */
    public Attachment upload(Caller caller, UUID conversationId, Path file, String clientName) {
        requireAccess(caller, conversationId);
        OptionalLong retryAfter = limiter.tryAcquire(caller.userId(), System.nanoTime());
        if (retryAfter.isPresent()) {
            throw new FileRefused(
                    FileRefused.Reason.TOO_MANY,
                    "At most " + config.uploadsPerMinute() + " uploads a minute; try again in " + retryAfter.getAsLong()
                            + " s.",
                    retryAfter.getAsLong());
        }
        if (file == null) {
            throw new FileRefused(
                    FileRefused.Reason.BAD_REQUEST,
                    "A multipart/form-data body with exactly one part named file is required.");
        }
        Path thumbnail = null;
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new FileRefused(FileRefused.Reason.EMPTY, "The file is empty.");
            }
            if (size > config.maxSize().asLongValue()) {
                throw tooLarge(config.maxSize().asLongValue());
            }
            String name = FileNames.safeName(clientName);
            String type = FileFacts.detect(file, name);
            if (refusedTypes.contains(type)) {
                throw new FileRefused(FileRefused.Reason.REFUSED_TYPE, "Files of type " + type + " are not accepted.");
            }
            String sha256 = FileFacts.sha256(file);
            Optional<ImageProbe.ImageInfo> image = ImageProbe.probe(file, type, config.maxThumbnailPixels(), tempDir);
            thumbnail = image.map(ImageProbe.ImageInfo::thumbnail).orElse(null);

            UUID id = UUID.randomUUID();
            String key = key(id);
            String thumbnailKey = thumbnail == null ? null : key + ".thumb";
            Long thumbnailSize = thumbnail == null ? null : Files.size(thumbnail);
            Attachment row = new Attachment(
                    id,
                    conversationId,
                    caller.userId(),
                    name,
                    type,
                    size,
                    sha256,
                    image.map(ImageProbe.ImageInfo::width).orElse(null),
                    image.map(ImageProbe.ImageInfo::height).orElse(null),
                    key,
                    thumbnailKey,
                    image.map(ImageProbe.ImageInfo::thumbnailType).orElse(null),
                    thumbnailSize,
                    Instant.now().truncatedTo(ChronoUnit.MICROS),
                    null,
                    null);
            try {
                store.put(key, file, type);
                if (thumbnail != null) {
                    store.put(thumbnailKey, thumbnail, row.thumbnailType());
                }
                attachments.insert(pool, row).await().indefinitely();
            } catch (IOException | RuntimeException e) {
                deleteQuietly(row);
                if (e instanceof IOException io) {
                    throw unavailable(io);
                }
                throw e;
            }
            return row;
        } catch (IOException e) {
            throw unavailable(e);
        } finally {
            if (thumbnail != null) {
                try {
                    Files.deleteIfExists(thumbnail);
                } catch (IOException e) {
                    Log.warnf("thumbnail temp file %s not deleted: %s", thumbnail, e.toString());
                }
            }
        }
    }

    /**
     * Checks that the caller may use the conversation (participants; admins for support conversations).
     *
     * @throws FileRefused NOT_FOUND otherwise (the same answer as for an unknown conversation)
     */
    public void requireAccess(Caller caller, UUID conversationId) {
        if (!access.mayUseCaughtUp(caller, conversationId).await().indefinitely()) {
            throw new FileRefused(FileRefused.Reason.NOT_FOUND, "No such conversation.");
        }
    }

    /** The 413 of a file larger than {@code maxSize} bytes. */
    public static FileRefused tooLarge(long maxSize) {
        return new FileRefused(FileRefused.Reason.TOO_LARGE, sizeLimit(maxSize));
    }

    /**
     * The words of the file size limit, for people first: {@code A file is at most 25 MiB (26214400 bytes).} (the
     * largest whole binary unit that divides the limit, then the exact count).
     */
    public static String sizeLimit(long maxSize) {
        String[] units = {"KiB", "MiB", "GiB"};
        String readable = null;
        for (int u = units.length - 1; u >= 0 && readable == null; u--) {
            long unit = 1L << (10 * (u + 1));
            if (maxSize >= unit && maxSize % unit == 0) {
                readable = (maxSize / unit) + " " + units[u];
            }
        }
        return readable == null
                ? "A file is at most " + maxSize + " bytes."
                : "A file is at most " + readable + " (" + maxSize + " bytes).";
    }

    /**
     * The upload, for someone who may read its conversation now (participants; admins for support conversations).
     *
     * @throws FileRefused NOT_FOUND for anyone else, unknown and deleted uploads alike
     */
    public Attachment visible(Caller caller, UUID id) {
        Attachment row = attachments.findLive(pool, id).await().indefinitely().orElseThrow(FileService::notFound);
        if (!access.mayUseCaughtUp(caller, row.conversationId()).await().indefinitely()) {
            throw notFound();
        }
        return row;
    }

    /**
     * The bytes under a store key, {@code length} of them from {@code offset} ({@code -1}: to the end).
     *
     * @throws FileRefused NOT_FOUND when the store has nothing there, UNAVAILABLE when it cannot be read
     */
    public InputStream open(String key, long offset, long length) {
        try {
            return store.open(key, offset, length);
        } catch (java.nio.file.NoSuchFileException e) {
            Log.warnf("attachment bytes missing under %s", key);
            throw notFound();
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    /**
     * Cancels an upload of the caller that is not attached: its row is marked deleted (served no more), then its bytes
     * and row are deleted at once, or by the next sweep when the store fails.
     *
     * @throws FileRefused NOT_FOUND unless the caller uploaded it and it is live; ATTACHED when a message holds it
     */
    public void cancel(Caller caller, UUID id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Attachment row = pool.withTransaction(tx -> attachments
                        .lock(tx, java.util.List.of(id))
                        .chain(rows -> {
                            Attachment found = rows.isEmpty() ? null : rows.get(0);
                            if (found == null
                                    || found.deletedAt() != null
                                    || !found.uploader().equals(caller.userId())) {
                                throw notFound();
                            }
                            if (found.messageId() != null) {
                                throw new FileRefused(
                                        FileRefused.Reason.ATTACHED,
                                        "The file is attached to a message; delete the " + "message instead.");
                            }
                            return attachments.markDeleted(tx, id, now).replaceWith(found);
                        }))
                .await()
                .indefinitely();
        try {
            deleteBytes(row);
            attachments.remove(pool, id).await().indefinitely();
        } catch (IOException | RuntimeException e) {
            Log.warnf("cancelled upload %s left for the sweeper: %s", id, e.toString());
        }
    }

    /** Deletes the bytes of an upload (file and thumbnail); nothing happens for bytes already gone. */
    void deleteBytes(Attachment row) throws IOException {
        store.delete(row.storageKey());
        if (row.thumbnailKey() != null) {
            store.delete(row.thumbnailKey());
        }
    }

    private void deleteQuietly(Attachment row) {
        try {
            deleteBytes(row);
        } catch (IOException | RuntimeException e) {
            Log.warnf("bytes of failed upload %s not deleted: %s", row.id(), e.toString());
        }
    }

    /**
     * The store key of an upload's bytes, spread over 256 folders by the id's first two hex digits:
     * {@code ab/ab12...}; its thumbnail's is the same with {@code .thumb} appended.
     */
    public static String key(UUID id) {
        String text = id.toString();
        return text.substring(0, 2) + "/" + text;
    }

    private static FileRefused notFound() {
        return new FileRefused(FileRefused.Reason.NOT_FOUND, "No such attachment.");
    }

    private static FileRefused unavailable(IOException e) {
        Log.warnf("file store failed: %s", e.toString());
        return new FileRefused(FileRefused.Reason.UNAVAILABLE, "The file store is unavailable; try again.");
    }
}
