package io.parley.message.domain;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import net.coobird.thumbnailator.Thumbnails;

/**
 * The dimensions and thumbnail of an uploaded image, with the JDK's ImageIO and thumbnailator. The dimensions come from
 * the image's header alone; an image of at most {@code maxPixels} pixels is then decoded subsampled (every n-th pixel,
 * so about {@link #DECODE_SIDE} pixels on its long side are ever held in memory, whatever its size) and scaled down to
 * at most {@link #THUMBNAIL_SIDE} pixels on its long side: JPEG, or PNG when it has transparency. Bigger images get
 * their dimensions and no thumbnail, and an image that cannot be read gets neither: a picture never fails an upload.
 */
public final class ImageProbe {

    /** The longest side of a thumbnail, in pixels. */
    public static final int THUMBNAIL_SIDE = 320;
    /** About the longest side decoded to make a thumbnail (twice the thumbnail's, for a smooth scaling down). */
    static final int DECODE_SIDE = 2 * THUMBNAIL_SIDE;
    /** The types whose dimensions and thumbnails are made (WebP only if an ImageIO reader for it is installed). */
    public static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp");

    static {
        ImageIO.setUseCache(false); // decode in memory (bounded by subsampling), never into temporary files
    }

    private ImageProbe() {}

    /**
     * What was learnt of an image.
     *
     * @param width         pixels
     * @param height        pixels
     * @param thumbnail     a temporary file the caller deletes, or null when none was made
     * @param thumbnailType image/jpeg or image/png, null when none was made
     */
    public record ImageInfo(int width, int height, Path thumbnail, String thumbnailType) {}

    /**
     * @param file        the uploaded bytes
     * @param contentType the detected type; anything outside {@link #TYPES} is not probed
     * @param maxPixels   the most pixels (width times height) that are decoded for a thumbnail
     * @param tempDir     where the thumbnail's temporary file is made
     * @return the dimensions and maybe a thumbnail; empty when it is not an image that could be read
     */
    public static Optional<ImageInfo> probe(Path file, String contentType, long maxPixels, Path tempDir) {
        if (!TYPES.contains(contentType)) {
            return Optional.empty();
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    return Optional.empty();
                }
                if ((long) width * height > maxPixels) {
                    return Optional.of(new ImageInfo(width, height, null, null));
                }
                return Optional.of(thumbnail(reader, width, height, tempDir));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // not decodable after all (truncated, an unsupported variant such as CMYK JPEG): no image data
            return Optional.empty();
        }
    }

    private static ImageInfo thumbnail(ImageReader reader, int width, int height, Path tempDir) throws IOException {
        int factor = Math.max(1, Math.max(width, height) / DECODE_SIDE);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(factor, factor, 0, 0);
        BufferedImage image;
        try {
            image = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            return new ImageInfo(width, height, null, null);
        }
        boolean alpha = image.getColorModel().hasAlpha();
        Path thumbnail = Files.createTempFile(tempDir, "parley-thumb-", alpha ? ".png" : ".jpg");
        try (OutputStream out = Files.newOutputStream(thumbnail)) {
            Thumbnails.Builder<BufferedImage> builder = Thumbnails.of(image);
            if (image.getWidth() > THUMBNAIL_SIDE || image.getHeight() > THUMBNAIL_SIDE) {
                builder.size(THUMBNAIL_SIDE, THUMBNAIL_SIDE);
            } else {
                builder.scale(1.0);
            }
            builder.imageType(alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB)
                    .outputFormat(alpha ? "png" : "jpg")
                    .outputQuality(0.85)
                    .toOutputStream(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(thumbnail);
            return new ImageInfo(width, height, null, null);
        }
        return new ImageInfo(width, height, thumbnail, alpha ? "image/png" : "image/jpeg");
    }
}
