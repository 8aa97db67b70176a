package io.parley.message.client;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * A {@link FileStore} on the local filesystem ({@code parley.files.store=fs}): the bytes of key {@code k} are the file
 * {@code dir/k}. A put copies into a temporary file of the same folder, forces it to disk, then renames it over the
 * target (an atomic move), so a reader sees the whole old file or the whole new one, never half of one; a crash leaves
 * at most a {@code .tmp-*} file behind. Reads seek with a {@link FileChannel} position, so a range costs only its bytes.
 */
public final class FsFileStore implements FileStore {

    /** Keys are relative names of {@code [A-Za-z0-9/_.-]}, without empty, {@code .} or {@code ..} segments. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    private final Path dir;

    /**
     * @param dir the folder that holds the files; created (with its parents) when missing
     * @throws IOException when it cannot be created
     */
    public FsFileStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir.toAbsolutePath().normalize());
    }

    /** The folder that holds the files. */
    public Path dir() {
        return dir;
    }

    @Override
    public void put(String key, Path source, String contentType) throws IOException {
        Path target = path(key);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".tmp-", "");
        try {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                    FileChannel out =
                            FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                long size = in.size();
                long done = 0;
                while (done < size) {
                    done += in.transferTo(done, size - done, out);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("offset " + offset + ", length " + length);
        }
        FileChannel channel = FileChannel.open(path(key), StandardOpenOption.READ);
        try {
            channel.position(offset);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        InputStream in = Channels.newInputStream(channel);
        return length < 0 ? in : new Bounded(in, length);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    private Path path(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a store key: " + key);
        }
        for (String segment : key.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("Not a store key: " + key);
            }
        }
        return dir.resolve(key);
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
