package io.parley.bench.scenarios;

import static io.parley.bench.engine.FileTransfers.ID;
import static io.parley.bench.engine.FileTransfers.THUMBNAIL;
import static io.parley.bench.engine.FileTransfers.match;

import io.parley.bench.engine.FileTransfers;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A photo's thumbnail through the gateway of a running local stack (deploy/bench/files.sh thumbnail): a 2 MB photo at
 * a time, from the start of its upload to the other participant holding its thumbnail: upload, {@code send} frame
 * with the upload's id, the recipient's {@code message.created}, then its {@code GET} of the thumbnailUrl;
 * percentiles in ms.
 */
@Command(
        name = "files-thumbnail",
        description = "<count> 2 MB photos, one at a time: upload start to the other " + "participant's thumbnail")
public final class FilesThumbnail implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<count>", description = "photos measured, after five to warm up")
    int count;

    @Mixin
    RunningGateway stack = new RunningGateway();

    private FileTransfers files;

    /** Sends the photos and prints the latencies; answers 0. */
    @Override
    public Integer call() throws Exception {
        files = new FileTransfers(stack.gateway(), stack.keys.keys());
        thumbnail(count);
        return 0;
    }

    private void thumbnail(int count) throws Exception {
        Path photo = Files.createTempFile("parley-photo", ".jpg");
        try {
            Files.write(photo, photo(2_000_000));
            System.out.printf(Locale.ROOT, "photo: %d bytes%n", Files.size(photo));
            String ann = "bench-ann-" + UUID.randomUUID();
            String bob = "bench-bob-" + UUID.randomUUID();
            String annToken = files.token(ann, "client");
            String bobToken = files.token(bob, "client");
            String conversation = files.conversation(annToken, bob);
            LinkedBlockingQueue<String> annFrames = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> bobFrames = new LinkedBlockingQueue<>();
            WebSocket annSocket = files.socket(annToken, annFrames);
            WebSocket bobSocket = files.socket(bobToken, bobFrames);
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            for (int i = 0; i < count + 5; i++) {
                long started = System.nanoTime();
                HttpResponse<String> up = files.upload(annToken, conversation, "photo-" + i + ".jpg", photo)
                        .get(1, TimeUnit.MINUTES);
                if (up.statusCode() != 201) {
                    throw new IllegalStateException("upload answered " + up.statusCode() + ": " + up.body());
                }
                String id = match(ID, up.body());
                annSocket.sendText(
                        "{\"type\":\"send\",\"ref\":\"" + i + "\",\"conversationId\":\"" + conversation
                                + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"attachments\":[{\"id\":\""
                                + id
                                + "\"}]}",
                        true);
                String created;
                do {
                    created = bobFrames.poll(30, TimeUnit.SECONDS);
                    if (created == null) {
                        throw new IllegalStateException("no message.created within 30 s");
                    }
                } while (!created.contains("message.created") || !created.contains(id));
                long bytes = files.download(bobToken, match(THUMBNAIL, created)).get(1, TimeUnit.MINUTES);
                if (i >= 5) { // the first five warm the JITs up
                    latency.recordValue(System.nanoTime() - started);
                }
                if (bytes == 0) {
                    throw new IllegalStateException("empty thumbnail");
                }
            }
            annSocket.abort();
            bobSocket.abort();
            System.out.printf(
                    Locale.ROOT,
                    "upload start to the other participant's thumbnail, %d photos one at a time:"
                            + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    count,
                    latency.getValueAtPercentile(50) / 1e6,
                    latency.getValueAtPercentile(90) / 1e6,
                    latency.getValueAtPercentile(99) / 1e6,
                    latency.getMaxValue() / 1e6);
        } finally {
            Files.deleteIfExists(photo);
        }
    }

    /** A JPEG of noise and gradients about {@code bytes} long (noise does not compress: a camera photo's size). */
    private static byte[] photo(int bytes) throws IOException {
        Random random = new Random(7);
        for (int side = 600; ; side += 100) {
            BufferedImage image = new BufferedImage(side * 4 / 3, side, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    // a gradient under noise in every channel: a camera photo's detail, about a byte a pixel
                    int r = Math.min(255, x * 200 / image.getWidth() + random.nextInt(56));
                    int g = Math.min(255, y * 200 / image.getHeight() + random.nextInt(56));
                    int b = 100 + random.nextInt(156);
                    image.setRGB(x, y, (r << 16) | (g << 8) | b);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", out);
            if (out.size() >= bytes) {
                return out.toByteArray();
            }
        }
    }
}
