package io.parley.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Files through the gateway of a running local stack, as the app uses them: upload into a conversation, attach to a
 * message over the WebSocket, the other participant downloads the file and its thumbnail; nobody else learns anything;
 * what is refused leaves nothing behind.
 */
class FilesIT extends RunningStack {

    private static StackClient user(String role) {
        return new StackClient(stack, keys, role);
    }

    private static String group(StackClient creator, StackClient... others) throws Exception {
        JsonArray participants = new JsonArray();
        for (StackClient other : others) {
            participants.add(other.userId);
        }
        HttpResponse<String> created = creator.post(
                "/api/conversations", new JsonObject().put("type", "group").put("participants", participants));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new JsonObject(created.body()).getString("id");
    }

    /** {@code POST /api/conversations/{id}/attachments} with one {@code file} part, as a browser's FormData sends it. */
    private static HttpResponse<String> upload(
            StackClient user, String conversation, String name, String partType, byte[] bytes) throws Exception {
        String boundary = "----parley" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                        + "\"\r\nContent-Type: " + partType + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(bytes);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return StackUnderTest.HTTP.send(
                HttpRequest.newBuilder(gateway("/api/conversations/" + conversation + "/attachments"))
                        .header("Authorization", "Bearer " + user.token)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> download(StackClient user, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path))
                .header("Authorization", "Bearer " + user.token)
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return StackUnderTest.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static URI gateway(String path) {
        return URI.create("http://127.0.0.1:" + stack.port("GATEWAY") + path);
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static byte[] pdf() {
        return ("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                        + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static long storedFiles() throws Exception {
        Path files = stack.dataDir.resolve("files");
        if (!Files.exists(files)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(files)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aPhotoAndAPdfGoFromOneParticipantToTheOtherWithThumbnailRangeAndHash() throws Exception {
        StackClient ann = user("client");
        StackClient bob = user("expert");
        String conversation = group(ann, bob);
        byte[] photo = png(1200, 800);
        byte[] document = pdf();

        HttpResponse<String> photoUp = upload(ann, conversation, "holiday.png", "application/octet-stream", photo);
        assertThat(photoUp.statusCode()).as(photoUp.body()).isEqualTo(201);
        JsonObject photoMeta = new JsonObject(photoUp.body());
        assertThat(photoUp.headers().firstValue("Location")).hasValue("/api/attachments/" + photoMeta.getString("id"));
        assertThat(photoMeta.getString("contentType")).isEqualTo("image/png");
        assertThat(photoMeta.getLong("size")).isEqualTo(photo.length);
        assertThat(photoMeta.getString("sha256")).isEqualTo(sha256(photo));
        assertThat(photoMeta.getInteger("width")).isEqualTo(1200);
        assertThat(photoMeta.getInteger("height")).isEqualTo(800);
        HttpResponse<String> pdfUp = upload(ann, conversation, "report.pdf", "text/plain", document);
        assertThat(pdfUp.statusCode()).as(pdfUp.body()).isEqualTo(201);
        JsonObject pdfMeta = new JsonObject(pdfUp.body());
        assertThat(pdfMeta.getString("contentType")).isEqualTo("application/pdf");
        assertThat(pdfMeta.containsKey("thumbnailUrl")).isFalse();

        try (StackClient bobSocket = bob.connect();
                StackClient annSocket = ann.connect()) {
            String ref = UUID.randomUUID().toString();
            annSocket.write(new JsonObject()
                    .put("type", "send")
                    .put("ref", ref)
                    .put("conversationId", conversation)
                    .put("clientMessageId", UUID.randomUUID().toString())
                    .put(
                            "attachments",
                            new JsonArray()
                                    .add(new JsonObject().put("id", photoMeta.getString("id")))
                                    .add(new JsonObject().put("id", pdfMeta.getString("id")))));
            JsonObject ack = annSocket.next("ack");
            assertThat(ack.getString("ref")).as(ack.encode()).isEqualTo(ref);
            JsonObject created = bobSocket.next("message.created").getJsonObject("message");
            JsonArray attachments = created.getJsonArray("attachments");
            assertThat(attachments).hasSize(2);
            JsonObject first = attachments.getJsonObject(0);
            assertThat(first.getString("id")).isEqualTo(photoMeta.getString("id"));
            assertThat(first.getString("name")).isEqualTo("holiday.png");
            assertThat(attachments.getJsonObject(1).getString("name")).isEqualTo("report.pdf");

            HttpResponse<byte[]> whole = download(bob, first.getString("url"));
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(photo);
            assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + sha256(photo) + "\"");
            assertThat(whole.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

            HttpResponse<byte[]> part = download(bob, first.getString("url"), "Range", "bytes=100-199");
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(photo, 100, 200));
            assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + photo.length);

            HttpResponse<byte[]> thumbnail = download(bob, first.getString("thumbnailUrl"));
            assertThat(thumbnail.statusCode()).isEqualTo(200);
            BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
            assertThat(Math.max(small.getWidth(), small.getHeight()))
                    .isLessThanOrEqualTo(320)
                    .isGreaterThan(0);

            HttpResponse<byte[]> report =
                    download(bob, attachments.getJsonObject(1).getString("url"));
            assertThat(report.body()).isEqualTo(document);
            assertThat(report.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/pdf");
        }
    }

    @Test
    void someoneOutsideTheConversationGets404ForEveryFileCall() throws Exception {
        StackClient ann = user("client");
        StackClient eve = user("client");
        StackClient admin = user("admin");
        String conversation = group(ann, user("client"));
        JsonObject up = new JsonObject(
                upload(ann, conversation, "a.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8))
                        .body());
        String id = up.getString("id");
        for (StackClient stranger : List.of(eve, admin)) {
            assertThat(upload(stranger, conversation, "b.txt", "text/plain", "x".getBytes(StandardCharsets.UTF_8))
                            .statusCode())
                    .isEqualTo(404);
            for (String path : List.of(
                    "/api/attachments/" + id,
                    "/api/attachments/" + id + "/meta",
                    "/api/attachments/" + id + "/thumbnail")) {
                assertThat(download(stranger, path).statusCode()).as(path).isEqualTo(404);
            }
            assertThat(stranger.request("DELETE", "/api/attachments/" + id, null)
                            .statusCode())
                    .isEqualTo(404);
        }
        assertThat(upload(
                                eve,
                                UUID.randomUUID().toString(),
                                "c.txt",
                                "text/plain",
                                "x".getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aFileOverTheLimitIsRefusedWith413AndNothingStays() throws Exception {
        StackClient ann = user("client");
        String conversation = group(ann, user("client"));
        long before = storedFiles();
        HttpResponse<String> refused =
                upload(ann, conversation, "big.bin", "application/octet-stream", new byte[30 * 1024 * 1024]);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(storedFiles()).isEqualTo(before);
    }

    @Test
    void anUploadedHtmlPageCannotRunInTheAppsOrigin() throws Exception {
        StackClient ann = user("client");
        String conversation = group(ann, user("client"));
        byte[] page = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> up = upload(ann, conversation, "page.html", "image/png", page);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        HttpResponse<byte[]> served = download(ann, new JsonObject(up.body()).getString("url"));
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment");
        assertThat(served.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("sandbox")
                .contains("default-src 'none'");
        assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void namesThatArePathsOrHoldControlCharactersAreKeptAsSafeNames() throws Exception {
        StackClient ann = user("client");
        String conversation = group(ann, user("client"));
        HttpResponse<String> path = upload(
                ann, conversation, "../../etc/passwd", "text/plain", "root:x:0:0".getBytes(StandardCharsets.UTF_8));
        assertThat(path.statusCode()).as(path.body()).isEqualTo(201);
        assertThat(new JsonObject(path.body()).getString("name")).isEqualTo("passwd");
        HttpResponse<String> nul =
                upload(ann, conversation, "a\u0000b.txt", "text/plain", "nul".getBytes(StandardCharsets.UTF_8));
        assertThat(nul.statusCode()).as(nul.body()).isEqualTo(201);
        assertThat(new JsonObject(nul.body()).getString("name")).isEqualTo("ab.txt");
    }

    @Test
    void deletingTheMessageOrRemovingTheReaderStopsDownloadsAtOnce() throws Exception {
        StackClient ann = user("client");
        StackClient bob = user("client");
        StackClient cid = user("client");
        String conversation = group(ann, bob, cid);
        String id = new JsonObject(upload(
                                ann,
                                conversation,
                                "notes.txt",
                                "text/plain",
                                "some notes".getBytes(StandardCharsets.UTF_8))
                        .body())
                .getString("id");
        HttpResponse<String> sent = ann.post(
                "/api/conversations/" + conversation + "/messages",
                new JsonObject()
                        .put("clientMessageId", UUID.randomUUID().toString())
                        .put("content", "see the notes")
                        .put("attachments", new JsonArray().add(new JsonObject().put("id", id))));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        assertThat(download(cid, "/api/attachments/" + id).statusCode()).isEqualTo(200);

        assertThat(ann.request("DELETE", "/api/conversations/" + conversation + "/participants/" + cid.userId, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(download(cid, "/api/attachments/" + id).statusCode()).isEqualTo(404);
        assertThat(download(bob, "/api/attachments/" + id).statusCode()).isEqualTo(200);

        String messageId = new JsonObject(sent.body()).getString("id");
        assertThat(ann.request("DELETE", "/api/conversations/" + conversation + "/messages/" + messageId, null)
                        .statusCode())
                .isEqualTo(204);
        assertThat(download(bob, "/api/attachments/" + id).statusCode()).isEqualTo(404);
        assertThat(download(ann, "/api/attachments/" + id).statusCode()).isEqualTo(404);
    }
}
