package io.parley.message.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizeLimitTextTest {

    @Test
    void theLimitIsSaidInTheLargestWholeBinaryUnitThenExactly() {
        assertThat(FileService.sizeLimit(25L * 1024 * 1024)).isEqualTo("A file is at most 25 MiB (26214400 bytes).");
        assertThat(FileService.sizeLimit(2L * 1024 * 1024 * 1024))
                .isEqualTo("A file is at most 2 GiB (2147483648 bytes).");
        assertThat(FileService.sizeLimit(1536 * 1024)).isEqualTo("A file is at most 1536 KiB (1572864 bytes).");
        assertThat(FileService.sizeLimit(1000)).isEqualTo("A file is at most 1000 bytes.");
    }
}
