package io.parley.notification;

import io.parley.infra.PushKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * A Web Push service and its browser on loopback, for tests: it answers each device's pushes with the status the test
 * sets (201 by default), and, as the browser would, decrypts each payload (aes128gcm, RFC 8291) and verifies the
 * VAPID token (RFC 8292). Written here with the JDK's own cryptography and jose4j, apart from the library the
 * service sends with.
 */
final class PushEndpoint implements AutoCloseable {

    /** What one push carried, once decrypted and verified. */
    record Push(
            String device,
            JsonObject payload,
            String topic,
            String urgency,
            int ttl,
            JwtClaims vapid,
            String vapidKey) {}

    /** A browser's subscription: its keys, and the endpoint URL to register. */
    record Device(String name, String endpoint, String p256dh, String auth, KeyPair keys, byte[] authSecret) {}

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, java.util.Deque<Integer>> answers = new ConcurrentHashMap<>();
    final Map<String, java.util.concurrent.atomic.AtomicInteger> attempts = new ConcurrentHashMap<>();
    final List<Push> received = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();

    PushEndpoint() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    String name = request.path().substring(request.path().lastIndexOf('/') + 1);
                    Device device = devices.get(name);
                    attempts.computeIfAbsent(name, n -> new java.util.concurrent.atomic.AtomicInteger())
                            .incrementAndGet();
                    Integer planned = answers.getOrDefault(name, new java.util.ArrayDeque<>())
                            .poll();
                    int status = planned == null ? 201 : planned;
                    if (device == null) {
                        request.response().setStatusCode(404).end();
                        return;
                    }
                    if (status < 300) {
                        try {
                            String authorization = request.getHeader("Authorization");
                            received.add(new Push(
                                    name,
                                    new JsonObject(
                                            new String(decrypt(device, body.getBytes()), StandardCharsets.UTF_8)),
                                    request.getHeader("Topic"),
                                    request.getHeader("Urgency"),
                                    Integer.parseInt(request.getHeader("TTL")),
                                    verify(
                                            authorization,
                                            "http://127.0.0.1:"
                                                    + request.localAddress().port()),
                                    vapidKey(authorization)));
                            if (!"aes128gcm".equals(request.getHeader("Content-Encoding"))) {
                                failures.add("Content-Encoding " + request.getHeader("Content-Encoding"));
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                            status = 400;
                        }
                    }
                    request.response().setStatusCode(status).end();
                }))
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** A new browser subscription on this endpoint. */
    Device device(String name) throws Exception {
        KeyPair keys = PushKeys.newPair();
        byte[] auth = new byte[16];
        new SecureRandom().nextBytes(auth);
        Device device = new Device(
                name,
                "http://127.0.0.1:" + server.actualPort() + "/push/" + name,
                PushKeys.base64url(PushKeys.uncompressed((ECPublicKey) keys.getPublic())),
                PushKeys.base64url(auth),
                keys,
                auth);
        devices.put(name, device);
        return device;
    }

    /** The next pushes to {@code device} are answered with these statuses, in order; 201 after them. */
    void answer(String device, Integer... statuses) {
        answers.put(device, new java.util.concurrent.ConcurrentLinkedDeque<>(List.of(statuses)));
    }

    List<Push> to(String device) {
        return received.stream().filter(p -> p.device().equals(device)).toList();
    }

    private static byte[] decrypt(Device device, byte[] body) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        int recordSize = in.getInt();
        byte[] serverKey = new byte[in.get() & 0xff];
        in.get(serverKey);
        byte[] ciphertext = new byte[in.remaining()];
        in.get(ciphertext);
        if (recordSize < 18 || ciphertext.length > recordSize) {
            throw new IllegalStateException("record size " + recordSize);
        }
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(device.keys().getPrivate());
        agreement.doPhase(publicKey(serverKey), true);
        byte[] shared = agreement.generateSecret();
        byte[] userKey = PushKeys.uncompressed((ECPublicKey) device.keys().getPublic());
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), userKey, serverKey);
        byte[] ikm = expand(hmac(device.authSecret(), shared), keyInfo, 32);
        byte[] prk = hmac(salt, ikm);
        byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = cipher.doFinal(ciphertext);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 2) {
            throw new IllegalStateException("not the last record's delimiter");
        }
        return Arrays.copyOf(padded, end);
    }

    /** Checks the VAPID token: ES256 by the key in {@code k}, for this push service's origin, not expired. */
    private static JwtClaims verify(String authorization, String origin) throws Exception {
        if (authorization == null || !authorization.startsWith("vapid ")) {
            throw new IllegalStateException("no vapid authorization: " + authorization);
        }
        String token = parameter(authorization, "t");
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKey(publicKey(Base64.getUrlDecoder().decode(vapidKey(authorization))))
                .setExpectedAudience(origin)
                .setRequireExpirationTime()
                .setMaxFutureValidityInMinutes(24 * 60)
                .setRequireSubject()
                .build();
        return consumer.processToClaims(token);
    }

    private static String vapidKey(String authorization) {
        return parameter(authorization, "k");
    }

    private static String parameter(String authorization, String name) {
        for (String part : authorization.substring("vapid ".length()).split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair[0].equals(name)) {
                return pair[1];
            }
        }
        throw new IllegalStateException("no " + name + " in " + authorization);
    }

    private static ECPublicKey publicKey(byte[] uncompressed) throws Exception {
        if (uncompressed.length != 65 || uncompressed[0] != 4) {
            throw new IllegalStateException("not an uncompressed P-256 point");
        }
        var params = ((ECPublicKey) PushKeys.newPair().getPublic()).getParams();
        ECPoint point = new ECPoint(
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
                new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, params));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** HKDF-Expand for one block (RFC 5869): enough for the lengths Web Push uses. */
    private static byte[] expand(byte[] prk, byte[] info, int length) throws Exception {
        return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        vertx.close();
    }
}
