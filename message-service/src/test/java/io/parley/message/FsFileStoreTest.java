package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.message.client.FsFileStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filesystem store: whole puts by atomic rename, ranged reads, deletes, and keys that cannot leave its folder. */
class FsFileStoreTest {

    @TempDir
    Path dir;

    @Test
    void putOpenRangeDelete() throws Exception {
        FsFileStore store = new FsFileStore(dir.resolve("files"));
        byte[] bytes = new byte[300_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path source = Files.write(dir.resolve("src"), bytes);
        store.put("ab/abc", source, "application/octet-stream");
        assertThat(Files.exists(source)).as("the caller keeps its file").isTrue();
        assertThat(store.exists("ab/abc")).isTrue();
        try (InputStream in = store.open("ab/abc", 0, -1)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (InputStream in = store.open("ab/abc", 100, 100)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));
        }
        try (InputStream in = store.open("ab/abc", 299_990, 100)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 299_990, 300_000));
        }
        // a second put replaces the whole file; no temporary file stays behind
        Path other = Files.write(dir.resolve("other"), new byte[] {1, 2, 3});
        store.put("ab/abc", other, "application/octet-stream");
        try (InputStream in = store.open("ab/abc", 0, -1)) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
        try (Stream<Path> files = Files.list(dir.resolve("files/ab"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("abc");
        }
        store.delete("ab/abc");
        store.delete("ab/abc");
        assertThat(store.exists("ab/abc")).isFalse();
        assertThatThrownBy(() -> store.open("ab/abc", 0, -1)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void keysCannotNameAnythingOutsideTheFolder() throws Exception {
        FsFileStore store = new FsFileStore(dir.resolve("files"));
        Path source = Files.write(dir.resolve("src"), new byte[] {1});
        for (String key :
                new String[] {"../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", "", "a\\b", "a b", "..", "a/"}) {
            assertThatThrownBy(() -> store.put(key, source, "x/y"))
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }
}
