package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.domain.FileFacts;
import io.parley.message.domain.ImageProbe;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Types detected from the bytes (Tika; the name is a hint only), SHA-256, image dimensions and thumbnails. */
class FileFactsTest {

    @TempDir
    Path dir;

    /** A minimal ELF header: a 64-bit little-endian executable (e_type 2). */
    static byte[] elf() {
        byte[] b = new byte[64];
        b[0] = 0x7F;
        b[1] = 'E';
        b[2] = 'L';
        b[3] = 'F';
        b[4] = 2; // 64-bit
        b[5] = 1; // little-endian
        b[6] = 1; // version
        b[16] = 2; // ET_EXEC
        b[18] = 0x3E; // x86-64
        b[20] = 1;
        return b;
    }

    /** A minimal DOS/PE header: "MZ", e_lfanew at 0x3C pointing to "PE\0\0". */
    static byte[] mz() {
        byte[] b = new byte[256];
        b[0] = 'M';
        b[1] = 'Z';
        b[0x3C] = (byte) 0x80;
        b[0x80] = 'P';
        b[0x81] = 'E';
        return b;
    }

    @Test
    void bytesWinOverNames() throws Exception {
        assertThat(FileFacts.detect(Files.write(dir.resolve("a"), elf()), "notes.txt"))
                .isIn("application/x-executable", "application/x-elf", "application/x-sharedlib");
        assertThat(FileFacts.detect(Files.write(dir.resolve("b"), mz()), "photo.png"))
                .isIn(
                        "application/x-msdownload",
                        "application/x-dosexec",
                        "application/vnd.microsoft.portable-executable");
        assertThat(FileFacts.detect(
                        Files.write(
                                dir.resolve("c"),
                                "<!DOCTYPE html><html><script>alert(1)</script></html>"
                                        .getBytes(StandardCharsets.UTF_8)),
                        "x.txt"))
                .isEqualTo("text/html");
        assertThat(FileFacts.detect(Files.write(dir.resolve("d"), "#!/bin/sh\nrm -rf /\n".getBytes()), "a.txt"))
                .isEqualTo("application/x-sh");
        assertThat(FileFacts.detect(Files.write(dir.resolve("e"), "just words\n".getBytes()), "readme"))
                .isEqualTo("text/plain");
        assertThat(FileFacts.detect(Files.write(dir.resolve("f"), "%PDF-1.4\n%âãÏÓ\n".getBytes()), "doc.bin"))
                .isEqualTo("application/pdf");
        assertThat(FileFacts.detect(Files.write(dir.resolve("g"), new byte[] {0, 1, 2, 3, (byte) 0xFE}), null))
                .isEqualTo("application/octet-stream");
    }

    @Test
    void sha256IsLowercaseHex() throws Exception {
        assertThat(FileFacts.sha256(Files.write(dir.resolve("abc"), "abc".getBytes())))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void imagesGetDimensionsAndAThumbnailOf320OnTheLongSide() throws Exception {
        Path png = image(1000, 500, false, "png");
        ImageProbe.ImageInfo info =
                ImageProbe.probe(png, "image/png", 50_000_000, dir).orElseThrow();
        assertThat(info.width()).isEqualTo(1000);
        assertThat(info.height()).isEqualTo(500);
        assertThat(info.thumbnailType()).isEqualTo("image/jpeg");
        BufferedImage thumbnail = ImageIO.read(info.thumbnail().toFile());
        assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isEqualTo(320);
        assertThat(thumbnail.getHeight()).isEqualTo(160);

        Path transparent = image(200, 600, true, "png");
        ImageProbe.ImageInfo alpha =
                ImageProbe.probe(transparent, "image/png", 50_000_000, dir).orElseThrow();
        assertThat(alpha.thumbnailType()).isEqualTo("image/png");
        BufferedImage small = ImageIO.read(alpha.thumbnail().toFile());
        assertThat(small.getHeight()).isEqualTo(320);
        assertThat(small.getColorModel().hasAlpha()).isTrue();

        // a small image is not scaled up
        ImageProbe.ImageInfo tiny = ImageProbe.probe(image(40, 30, false, "jpg"), "image/jpeg", 50_000_000, dir)
                .orElseThrow();
        assertThat(ImageIO.read(tiny.thumbnail().toFile()).getWidth()).isEqualTo(40);
    }

    @Test
    void imagesAboveThePixelLimitGetDimensionsWithoutDecodingAndBrokenOnesNothing() throws Exception {
        Path png = image(1000, 500, false, "png");
        ImageProbe.ImageInfo info =
                ImageProbe.probe(png, "image/png", 400_000, dir).orElseThrow();
        assertThat(info.width()).isEqualTo(1000);
        assertThat(info.thumbnail()).isNull();

        byte[] bytes = Files.readAllBytes(png);
        Path truncated = Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(bytes, 40));
        Optional<ImageProbe.ImageInfo> broken = ImageProbe.probe(truncated, "image/png", 50_000_000, dir);
        assertThat(broken.map(ImageProbe.ImageInfo::thumbnail))
                .satisfiesAnyOf(
                        b -> assertThat(b).isEmpty(), b -> assertThat(b.get()).isNull());
        assertThat(ImageProbe.probe(Files.write(dir.resolve("t"), "x".getBytes()), "text/plain", 1, dir))
                .isEmpty();
    }

    private Path image(int width, int height, boolean alpha, String format) throws Exception {
        BufferedImage image =
                new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(alpha ? new Color(255, 0, 0, 100) : Color.BLUE);
        g.fillRect(0, 0, width / 2, height / 2);
        g.dispose();
        Path file = Files.createTempFile(dir, "img", "." + format);
        ImageIO.write(image, format, file.toFile());
        return file;
    }
}
