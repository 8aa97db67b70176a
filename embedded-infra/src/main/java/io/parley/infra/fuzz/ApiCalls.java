package io.parley.infra.fuzz;

import io.parley.infra.fuzz.RestFuzz.Operation;
import io.parley.infra.fuzz.RestFuzz.Request;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Every public REST call of the API (docs/api.md, REST and Files; docs/openapi/parley.json) as a {@link RestFuzz}
 * {@link Operation} that makes a generated request for it from {@link Inputs}: bodies, path ids, query strings and the
 * headers a call reads. The services' {@code GeneratedInputTest}s send each service's own calls to it directly; the
 * harness's {@code fuzz} scenario sends all of them through the gateway. Paths are the gateway's, which are the
 * services' own.
 *
 * <p>Each method takes the ids the run stored at its start ({@code known}: conversations, messages, files,
 * subscriptions, user ids), so that generated path ids and fields name something now and then, not only nothing.
 * The order of the random draws is part of what a seed replays: change it only knowingly.
 */
public final class ApiCalls {

    /** A valid {@code keys.p256dh}: 65 bytes, base64url (the zero point: well formed, not on the curve). */
    public static final String P256DH = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[65]);

    /** A valid {@code keys.auth}: 16 bytes, base64url. */
    public static final String AUTH = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);

    private static final String BOUNDARY = "fuzz-boundary";

    private ApiCalls() {}

    /**
     * The conversation-service's seven public calls (docs/openapi/conversation-service.yaml).
     *
     * @param ids   conversation ids to aim path ids at
     * @param users user ids to put in bodies and paths (as participants to add or remove)
     */
    public static List<Operation> conversations(List<String> ids, List<String> users) {
        return List.of(
                new Operation(
                        "POST /api/conversations",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/conversations",
                                in.body(() -> in.object(Inputs.fields(
                                        "type",
                                                () -> in.field(() ->
                                                        Inputs.quote(in.pick("group", "direct", "support", "GROUP"))),
                                        "participants", () -> in.field(() -> participants(in, users)),
                                        "title", () -> in.field(in::jsonText)))))),
                new Operation(
                        "GET /api/conversations",
                        in -> Request.of(
                                "GET",
                                "/api/conversations"
                                        + query(in.query(Inputs.fields(
                                                "limit",
                                                        () -> String.valueOf(
                                                                in.random().nextInt(120)),
                                                "cursor", () -> Inputs.encode(in.text()),
                                                "filter", () -> in.pick("support", "unanswered", "all")))))),
                new Operation("GET /api/conversations/support", in -> Request.of("GET", "/api/conversations/support")),
                new Operation(
                        "GET /api/conversations/{id}",
                        in -> Request.of("GET", "/api/conversations/" + in.pathSegment(ids))),
                new Operation(
                        "POST /api/conversations/{id}/participants",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/conversations/" + in.pathSegment(ids) + "/participants",
                                in.body(() -> in.object(Inputs.fields(
                                        "userId", () -> in.field(() -> Inputs.quote(userId(in, users)))))))),
                new Operation(
                        "DELETE /api/conversations/{id}/participants/{userId}",
                        in -> Request.of(
                                "DELETE",
                                "/api/conversations/" + in.pathSegment(ids) + "/participants/"
                                        + in.pathSegment(List.of(userId(in, users))))),
                new Operation("GET /api/unread", in -> Request.of("GET", "/api/unread" + query(in.query(Map.of())))));
    }

    /**
     * The message-service's twelve public calls (docs/openapi/message-service.yaml): messages, reads, uploads (broken
     * multipart included) and downloads ({@code Range} and {@code If-*} headers included).
     *
     * @param conversations conversation ids to aim path ids at
     * @param messages      message ids
     * @param files         attachment ids
     */
    public static List<Operation> messages(List<String> conversations, List<String> messages, List<String> files) {
        return List.of(
                new Operation(
                        "POST /api/conversations/{conversationId}/messages",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/conversations/" + in.pathSegment(conversations) + "/messages",
                                in.body(() -> in.object(Inputs.fields(
                                        "clientMessageId",
                                        () -> in.field(() -> Inputs.quote(
                                                in.chance(0.2)
                                                        ? UUID.randomUUID()
                                                                .toString()
                                                                .toUpperCase(Locale.ROOT)
                                                        : UUID.randomUUID().toString())),
                                        "content",
                                        () -> in.field(in::jsonText),
                                        "type",
                                        () -> in.field(() -> Inputs.quote(in.pick("text", "file", "system", "TEXT"))),
                                        "attachments",
                                        () -> in.field(() -> in.chance(0.7) ? "[]" : attachments(in, files))))))),
                new Operation(
                        "GET /api/conversations/{conversationId}/messages",
                        in -> Request.of(
                                "GET",
                                "/api/conversations/" + in.pathSegment(conversations) + "/messages"
                                        + query(in.query(Inputs.fields(
                                                "afterSeq",
                                                () -> String.valueOf(in.random().nextInt(5)),
                                                "beforeSeq",
                                                () -> String.valueOf(in.random().nextInt(5)),
                                                "limit",
                                                () -> String.valueOf(in.random().nextInt(250))))))),
                new Operation(
                        "PATCH /api/conversations/{conversationId}/messages/{messageId}",
                        in -> Request.json(
                                in,
                                "PATCH",
                                "/api/conversations/" + in.pathSegment(conversations) + "/messages/"
                                        + in.pathSegment(messages),
                                in.body(() -> in.object(Inputs.fields("content", () -> in.field(in::jsonText)))))),
                new Operation(
                        "DELETE /api/conversations/{conversationId}/messages/{messageId}",
                        in -> Request.of(
                                "DELETE",
                                "/api/conversations/" + in.pathSegment(conversations) + "/messages/"
                                        + in.pathSegment(messages))),
                new Operation(
                        "POST /api/conversations/{conversationId}/read",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/conversations/" + in.pathSegment(conversations) + "/read",
                                in.body(() -> in.object(Inputs.fields(
                                        "seq",
                                        () -> in.field(
                                                () -> String.valueOf(in.random().nextInt(4)))))))),
                new Operation(
                        "POST /api/conversations/{conversationId}/attachments",
                        in -> uploadRequest(
                                in, "/api/conversations/" + in.pathSegment(conversations) + "/attachments")),
                new Operation(
                        "GET /api/attachments/{id}",
                        in -> withRange(in, Request.of("GET", "/api/attachments/" + in.pathSegment(files)))),
                new Operation(
                        "HEAD /api/attachments/{id}",
                        in -> withRange(in, Request.of("HEAD", "/api/attachments/" + in.pathSegment(files)))),
                new Operation(
                        "GET /api/attachments/{id}/thumbnail",
                        in -> withRange(
                                in, Request.of("GET", "/api/attachments/" + in.pathSegment(files) + "/thumbnail"))),
                new Operation(
                        "HEAD /api/attachments/{id}/thumbnail",
                        in -> Request.of("HEAD", "/api/attachments/" + in.pathSegment(files) + "/thumbnail")),
                new Operation(
                        "GET /api/attachments/{id}/meta",
                        in -> Request.of("GET", "/api/attachments/" + in.pathSegment(files) + "/meta")),
                new Operation(
                        "DELETE /api/attachments/{id}",
                        in -> Request.of("DELETE", "/api/attachments/" + in.pathSegment(files))));
    }

    /**
     * The notification-service's six public calls (docs/openapi/notification-service.yaml).
     *
     * @param subscriptions subscription ids to aim path ids at
     * @param conversations conversation ids (mutes)
     */
    public static List<Operation> notifications(List<String> subscriptions, List<String> conversations) {
        return List.of(
                new Operation(
                        "POST /api/push/subscriptions",
                        in -> Request.json(
                                in,
                                "POST",
                                "/api/push/subscriptions",
                                in.body(() -> in.object(Inputs.fields(
                                        "kind",
                                        () -> in.field(
                                                () -> Inputs.quote(in.pick("webpush", "fcm", "apns", "WEBPUSH"))),
                                        "endpoint",
                                        () -> in.field(
                                                () -> Inputs.quote(in.pick("https://", "http://127.0.0.1/", "ftp://")
                                                        + "push.example.net/" + in.storableText())),
                                        "keys",
                                        () -> in.field(() -> in.object(Inputs.fields(
                                                "p256dh",
                                                () -> in.field(() -> Inputs.quote(in.chance(0.7) ? P256DH : in.text())),
                                                "auth",
                                                () -> in.field(
                                                        () -> Inputs.quote(in.chance(0.7) ? AUTH : in.text()))))),
                                        "token",
                                        () -> in.field(() -> Inputs.quote("device-" + in.text()))))))),
                new Operation(
                        "DELETE /api/push/subscriptions/{id}",
                        in -> Request.of("DELETE", "/api/push/subscriptions/" + in.pathSegment(subscriptions))),
                new Operation(
                        "GET /api/push/vapid-public-key",
                        in -> Request.of("GET", "/api/push/vapid-public-key" + query(in.query(Map.of())))),
                new Operation("GET /api/push/mutes", in -> Request.of("GET", "/api/push/mutes")),
                new Operation("PUT /api/push/mutes/{conversationId}", in -> {
                    Request request = Request.json(
                            in,
                            "PUT",
                            "/api/push/mutes/" + in.pathSegment(conversations),
                            in.body(() -> in.object(Inputs.fields(
                                    "until",
                                    () -> in.field(() -> Inputs.quote(in.pick(
                                            Instant.now()
                                                    .plus(1, ChronoUnit.HOURS)
                                                    .toString(),
                                            "2020-01-01T00:00:00Z",
                                            "2999-12-31T23:59:59+14:00",
                                            "+999999999-12-31T23:59:59Z",
                                            "2026-13-45T99:99:99Z",
                                            "tomorrow",
                                            "2026-12-01T08:00:00")))))));
                    return in.chance(0.1) ? new Request("PUT", request.target(), request.headers(), null) : request;
                }),
                new Operation(
                        "DELETE /api/push/mutes/{conversationId}",
                        in -> Request.of("DELETE", "/api/push/mutes/" + in.pathSegment(conversations))));
    }

    /**
     * The gateway's own public calls: its root ({@code GET /}, JSON or, to a browser, the web app's page) and the
     * OpenAPI document ({@code GET /q/openapi}), with generated query strings and {@code Accept} headers.
     */
    public static List<Operation> gateway() {
        return List.of(
                new Operation("GET /", in -> Request.of("GET", "/" + query(in.query(Map.of())))),
                new Operation(
                        "GET /q/openapi",
                        in -> Request.of(
                                "GET",
                                "/q/openapi"
                                        + query(in.query(Inputs.fields(
                                                "format", () -> in.pick("json", "yaml", "JSON", "xml")))))));
    }

    private static String participants(Inputs in, List<String> users) {
        List<String> items = new ArrayList<>();
        int n = in.random().nextInt(in.chance(0.02) ? 5002 : 4);
        for (int i = 0; i < n; i++) {
            items.add(in.chance(0.8) ? Inputs.quote(userId(in, users)) : in.anyJson(1));
        }
        return "[" + String.join(",", items) + "]";
    }

    private static String userId(Inputs in, List<String> users) {
        return in.chance(0.7) ? in.pick(users) : in.text();
    }

    private static String attachments(Inputs in, List<String> files) {
        List<String> items = new ArrayList<>();
        int n = in.random().nextInt(in.chance(0.05) ? 14 : 3);
        for (int i = 0; i < n; i++) {
            items.add(
                    in.chance(0.7)
                            ? in.object(Inputs.fields(
                                    "id",
                                    () -> in.field(
                                            () -> Inputs.quote(in.pick(files).toUpperCase(Locale.ROOT)))))
                            : in.anyJson(1));
        }
        return "[" + String.join(",", items) + "]";
    }

    /** Range and conditional headers, well formed or not, on a download. */
    private static Request withRange(Inputs in, Request request) {
        if (in.chance(0.4)) {
            request.headers()
                    .put(
                            "Range",
                            in.pick(
                                    "bytes=0-1",
                                    "bytes=-1",
                                    "bytes=5-",
                                    "bytes=9223372036854775807-",
                                    "bytes=99999999999999999999-",
                                    "bytes=3-1",
                                    "bytes=0-0,2-3",
                                    "bytes=",
                                    "bytes=-",
                                    "bytes=--1",
                                    "items=0-1",
                                    "bytes=-0",
                                    "garbage"));
        }
        if (in.chance(0.2)) {
            request.headers().put(in.pick("If-None-Match", "If-Range"), in.pick("\"x\"", "*", "W/\"x\"", "", "\""));
        }
        return request;
    }

    /** A multipart body (or not one) with a file part, parts of other names, odd file names and types. */
    private static Request uploadRequest(Inputs in, String target) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int parts = in.random().nextInt(3);
        for (int i = 0; i < parts; i++) {
            String name = in.chance(0.8) ? "file" : in.storableText();
            String filename =
                    in.chance(0.1) ? "" : "; filename=\"" + in.storableText().replace("\"", "'") + "\"";
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name.replace("\"", "'")
                            + "\"" + filename + "\r\nContent-Type: "
                            + in.pick("text/plain", "image/png", "application/octet-stream", "garbage") + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(in.chance(0.8) ? in.storableText().getBytes(StandardCharsets.UTF_8) : new byte[0]);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        if (in.chance(0.9)) {
            body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        }
        Request request = new Request("POST", target, new LinkedHashMap<>(), body.toByteArray());
        request.headers()
                .put(
                        "Content-Type",
                        in.chance(0.8)
                                ? "multipart/form-data; boundary=" + BOUNDARY
                                : in.pick(
                                        "multipart/form-data",
                                        "multipart/form-data; boundary=other",
                                        in.contentType()));
        return request;
    }

    private static String query(String query) {
        return query.isEmpty() ? "" : "?" + query;
    }
}
