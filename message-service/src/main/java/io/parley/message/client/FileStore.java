package io.parley.message.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where the bytes of attachments live: the local filesystem ({@code parley.files.store=fs}) or an S3-compatible object
 * store ({@code parley.files.store=s3}). Keys are relative names made of {@code [A-Za-z0-9/_.-]} chosen by the
 * message-service (never a client's file name). Every method blocks: call it from a worker thread, never from the
 * event loop.
 */
public interface FileStore {

    /**
     * Stores the whole file at {@code source} under {@code key}, replacing what was there; the caller still owns
     * {@code source} (it may be deleted after the call).
     *
     * @param key         where to store it
     * @param source      a complete local file
     * @param contentType the detected media type, kept as the object's metadata where the store has any
     * @throws IOException when the store refuses or cannot be reached; nothing is then readable under {@code key}
     */
    void put(String key, Path source, String contentType) throws IOException;

    /**
     * The bytes under {@code key} from {@code offset}, {@code length} of them ({@code -1}: to the end).
     *
     * @return a stream the caller closes
     * @throws java.nio.file.NoSuchFileException when nothing is stored under {@code key}
     * @throws IOException                       when the store cannot be read
     */
    InputStream open(String key, long offset, long length) throws IOException;

    /**
     * Deletes what is under {@code key}; nothing happens when there is nothing.
     *
     * @throws IOException when the store cannot be reached (the caller tries again later)
     */
    void delete(String key) throws IOException;

    /** Whether something is stored under {@code key}. */
    boolean exists(String key) throws IOException;
}
