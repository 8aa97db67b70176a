package io.parley.notification;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for Apple on loopback with pushy's MockApnsServer, validating as APNs does: TLS with a certificate made
 * here (the service is told to trust it), a provider token signed with the team's key (checked against the public
 * half), the topic, and the device token (64 hex digits, registered for the topic, not unregistered). Tests register
 * a device with {@code POST /devices/{token}}, unregister it with {@code POST /unregistered/{token}} and read what
 * Apple accepted and rejected at {@code GET /recorded}, over plain HTTP so the class loaders share nothing.
 */
public class ApnsStandIn implements QuarkusTestResourceLifecycleManager {

    static final String TOPIC = "io.parley.test.app";
    private static final String TEAM = "PARLEYTEAM";
    private static final String KEY_ID = "PARLEYKEY1";

    private final Set<String> devices = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> unregistered = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<JsonObject> accepted = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<JsonObject> rejected = new CopyOnWriteArrayList<>();
    private MockApnsServer apple;
    private Vertx vertx;
    private HttpServer control;

    @Override
    public Map<String, String> start() {
        try {
            Path folder = Files.createTempDirectory("apns-stand-in-");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair team = generator.generateKeyPair();
            Path p8 = folder.resolve("AuthKey_" + KEY_ID + ".p8");
            Files.writeString(p8, pem("PRIVATE KEY", team.getPrivate().getEncoded()));
            ApnsVerificationKey verification = new ApnsVerificationKey(KEY_ID, TEAM, (ECPublicKey) team.getPublic());

            KeyStore tls = tlsKeyStore(folder);
            X509Certificate certificate = (X509Certificate) tls.getCertificate("apns");
            Path trusted = folder.resolve("apns-server.pem");
            Files.writeString(trusted, pem("CERTIFICATE", certificate.getEncoded()));

            apple = new MockApnsServerBuilder()
                    .setServerCredentials(
                            new X509Certificate[] {certificate},
                            (PrivateKey) tls.getKey("apns", "stand-in".toCharArray()),
                            null)
                    .setHandlerFactory(new ValidatingPushNotificationHandlerFactory(
                            Map.of(TOPIC, devices),
                            unregistered,
                            Map.of(KEY_ID, verification),
                            Map.of(verification, Set.of(TOPIC))))
                    .setListener(new Recorder())
                    .build();
            int port = apple.start(0).get(10, TimeUnit.SECONDS);

            vertx = Vertx.vertx();
            control = vertx.createHttpServer()
                    .requestHandler(this::control)
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            return Map.of(
                    "parley.push.apns.key-file",
                    p8.toString(),
                    "parley.push.apns.key-id",
                    KEY_ID,
                    "parley.push.apns.team-id",
                    TEAM,
                    "parley.push.apns.topic",
                    TOPIC,
                    "parley.push.apns.server",
                    "127.0.0.1:" + port,
                    "parley.push.apns.trusted-certificate",
                    trusted.toString(),
                    "parley.test.apns-control",
                    "http://127.0.0.1:" + control.actualPort());
        } catch (Exception e) {
            throw new IllegalStateException("APNs stand-in did not start", e);
        }
    }

    /** A self-signed certificate for 127.0.0.1, made by the JDK's keytool (the JDK has no API for one). */
    private static KeyStore tlsKeyStore(Path folder) throws Exception {
        Path store = folder.resolve("apns-server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "apns",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "san=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-keystore",
                        store.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "stand-in")
                .redirectErrorStream(true)
                .start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keyStore.load(in, "stand-in".toCharArray());
        }
        return keyStore;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private void control(HttpServerRequest request) {
        String path = request.path();
        if (path.startsWith("/devices/")) {
            devices.add(path.substring("/devices/".length()));
            request.response().setStatusCode(204).end();
        } else if (path.startsWith("/unregistered/")) {
            unregistered.put(path.substring("/unregistered/".length()), Instant.now());
            request.response().setStatusCode(204).end();
        } else if (path.equals("/recorded")) {
            request.response()
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject()
                            .put("accepted", new JsonArray(new ArrayList<>(accepted)))
                            .put("rejected", new JsonArray(new ArrayList<>(rejected)))
                            .encode());
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private final class Recorder implements MockApnsServerListener {

        @Override
        public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
            accepted.add(describe(headers).put("payload", new JsonObject(payload.toString(StandardCharsets.UTF_8))));
        }

        @Override
        public void handlePushNotificationRejected(
                Http2Headers headers, ByteBuf payload, RejectionReason reason, Instant expiration) {
            rejected.add(describe(headers).put("reason", reason.name()));
        }

        private JsonObject describe(Http2Headers headers) {
            String path = String.valueOf(headers.path());
            return new JsonObject()
                    .put("token", path.substring(path.lastIndexOf('/') + 1))
                    .put("topic", string(headers.get("apns-topic")))
                    .put("collapseId", string(headers.get("apns-collapse-id")))
                    .put("pushType", string(headers.get("apns-push-type")))
                    .put("priority", string(headers.get("apns-priority")));
        }

        private String string(CharSequence value) {
            return value == null ? null : value.toString();
        }
    }

    @Override
    public void stop() {
        if (apple != null) {
            apple.shutdown().join();
        }
        if (control != null) {
            control.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }
}
