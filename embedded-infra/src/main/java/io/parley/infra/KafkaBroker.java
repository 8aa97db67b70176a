package io.parley.infra;

import io.parley.events.Topics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one), inside this JVM.
 * Its log directory is formatted on first start and reused afterwards. Its client listener is plain
 * ({@link #start(Path, int, int)}) or {@code SASL_SSL} with {@code SCRAM-SHA-512} ({@link #startSaslSsl}).
 */
public final class KafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final int port;
    /** The TLS and SCRAM material of a {@code SASL_SSL} client listener, or null for a plain one. */
    private final KafkaSecurity security;
    /** The address of the plain listener the broker's own clients use (its admin, inter-broker traffic). */
    private final String internalBootstrap;

    private KafkaBroker(KafkaRaftServer server, int port, KafkaSecurity security, String internalBootstrap) {
        this.server = server;
        this.port = port;
        this.security = security;
        this.internalBootstrap = internalBootstrap;
    }

    /**
     * Starts a broker that keeps its log in {@code logDir}, listening for clients on {@code port} and for its own
     * controller traffic on {@code controllerPort} (both on 127.0.0.1; 0 picks free ports).
     */
    public static KafkaBroker start(Path logDir, int port, int controllerPort) throws Exception {
        return start(logDir, port, controllerPort, null, 0);
    }

    /**
     * Starts a broker whose client listener on {@code port} is {@code SASL_SSL} with {@code SCRAM-SHA-512} (TLS with
     * the self-signed certificate, and the SCRAM user {@link KafkaSecurity#USER}, of {@code securityDir}: made there
     * on first start, see {@link KafkaSecurity}). Its inter-broker traffic and its own admin client use a plain
     * listener on {@code internalPort}, its controller one on {@code controllerPort}, both on 127.0.0.1 and not
     * advertised to clients of the client listener (0 picks free ports). The user's credential is written at each
     * start (so a log directory formatted before still gets it), and {@code securityDir/client.properties} then holds
     * what a client needs ({@link #clientSettings()}).
     */
    public static KafkaBroker startSaslSsl(
            Path logDir, Path securityDir, int port, int controllerPort, int internalPort) throws Exception {
        return start(logDir, port, controllerPort, KafkaSecurity.loadOrCreate(securityDir), internalPort);
    }

    private static KafkaBroker start(
            Path logDir, int port, int controllerPort, KafkaSecurity security, int internalPort) throws Exception {
        int clientPort = port == 0 ? FreePort.find() : port;
        int quorumPort = controllerPort == 0 ? FreePort.find() : controllerPort;
        Files.createDirectories(logDir);
        String dir = logDir.toAbsolutePath().toString();

        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + quorumPort);
        props.put("controller.listener.names", "CONTROLLER");
        String internalBootstrap = "127.0.0.1:" + clientPort;
        if (security == null) {
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + quorumPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            int brokerPort = internalPort == 0 ? FreePort.find() : internalPort;
            internalBootstrap = "127.0.0.1:" + brokerPort;
            props.put(
                    "listeners",
                    "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://" + internalBootstrap + ",CONTROLLER://127.0.0.1:"
                            + quorumPort);
            props.put("advertised.listeners", "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://" + internalBootstrap);
            props.put("inter.broker.listener.name", "INTERNAL");
            props.put("listener.security.protocol.map", "CLIENT:SASL_SSL,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.putAll(security.brokerSettings("CLIENT"));
        }
        props.put("log.dirs", dir);
        props.put("num.partitions", "6");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        props.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        props.put("log.retention.hours", "168");
        KafkaConfig config = new KafkaConfig(props, false);

        if (!Files.exists(logDir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        KafkaBroker broker = new KafkaBroker(server, clientPort, security, internalBootstrap);
        broker.awaitReady(broker.adminSettings());
        if (security != null) {
            try (Admin admin = broker.admin()) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                KafkaSecurity.USER,
                                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                                security.password())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            security.writeClientProperties(broker.bootstrapServers());
            // ready once a client signs in through the client listener as its users will
            Map<String, Object> client = new HashMap<>(broker.clientSettings());
            client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
            broker.awaitReady(client);
        }
        return broker;
    }

    /** The client listener's address, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /**
     * What a Kafka client needs to reach the client listener (client configuration names): {@code bootstrap.servers},
     * and on a {@code SASL_SSL} listener {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}
     * and the PEM truststore ({@code ssl.truststore.type}, {@code ssl.truststore.location}).
     */
    public Map<String, String> clientSettings() {
        return security == null
                ? Map.of("bootstrap.servers", bootstrapServers())
                : security.clientSettings(bootstrapServers());
    }

    public int port() {
        return port;
    }

    /** Creates the system's topics (see {@link Topics}); the ones that exist are left as they are. */
    public void createTopics(Collection<Topics.Spec> topics) throws InterruptedException, ExecutionException {
        try (Admin admin = admin()) {
            for (Topics.Spec spec : topics) {
                try {
                    NewTopic topic = new NewTopic(spec.name(), spec.partitions(), (short) 1);
                    if (spec.retentionMs() != null) {
                        topic.configs(Map.of("retention.ms", String.valueOf(spec.retentionMs())));
                    }
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private void awaitReady(Map<String, Object> settings) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Admin admin = Admin.create(settings)) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker on port " + port + " did not become ready", e);
                }
                Thread.sleep(100);
            }
        }
    }

    private Admin admin() {
        return Admin.create(adminSettings());
    }

    /** The broker's own admin client: through the plain internal listener when the client listener is secured. */
    private Map<String, Object> adminSettings() {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
