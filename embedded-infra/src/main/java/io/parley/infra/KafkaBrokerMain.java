package io.parley.infra;

import io.parley.events.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Runs the Kafka broker as a process of its own, for the local stack:
 * {@code KafkaBrokerMain <log-dir> <port> <controller-port> [<security-dir> <internal-port>]}; with the last two, its
 * client listener is {@code SASL_SSL} with {@code SCRAM-SHA-512} ({@link KafkaBroker#startSaslSsl}: the clients'
 * settings are then in {@code <security-dir>/client.properties}). It creates the system's topics, prints
 * {@code KAFKA READY <bootstrap>}, and stops on SIGTERM/SIGINT, or when its standard input closes: the launcher
 * keeps that pipe open, so a launcher that dies, however it dies, takes the broker with it.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 5) {
            System.err.println(
                    "usage: KafkaBrokerMain <log-dir> <port> <controller-port> [<security-dir> <internal-port>]");
            System.exit(2);
        }
        Path logDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        KafkaBroker broker = args.length == 3
                ? KafkaBroker.start(logDir, port, controllerPort)
                : KafkaBroker.startSaslSsl(logDir, Path.of(args[3]), port, controllerPort, Integer.parseInt(args[4]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        broker.createTopics(Topics.ALL);
        System.out.println("KAFKA READY " + broker.bootstrapServers());
        System.out.flush();
        waitForEndOfInput(System.in);
        System.exit(0);
    }

    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the launcher writes nothing; reading only tells when it is gone
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of input
        }
    }
}
