package io.parley.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * The local stack's settings, from the environment (README's configuration table). Every port can be moved, so
 * the stack can run beside whatever already uses the defaults.
 */
record StackConfig(
        Path repository,
        Path dataDir,
        int gatewayPort,
        int conversationPort,
        int messagePort,
        int notificationPort,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        String publicKeyLocation,
        String issuer,
        String javaOptions,
        String kafkaJavaOptions,
        Map<String, Integer> managementPorts,
        int gateways,
        boolean kafkaSaslSsl) {

    static final String DEFAULT_ISSUER = "parley-local";

    static StackConfig fromEnvironment(Path repository, Map<String, String> env) {
        Path dataDir = env.containsKey("PARLEY_DATA_DIR")
                ? Path.of(env.get("PARLEY_DATA_DIR")).toAbsolutePath()
                : repository.resolve(".local-data");
        return new StackConfig(
                repository,
                dataDir,
                port(env, "PARLEY_GATEWAY_PORT", 8080),
                port(env, "PARLEY_CONVERSATION_PORT", 8081),
                port(env, "PARLEY_MESSAGE_PORT", 8082),
                port(env, "PARLEY_NOTIFICATION_PORT", 8083),
                port(env, "PARLEY_KAFKA_PORT", 19092),
                port(env, "PARLEY_KAFKA_CONTROLLER_PORT", 19093),
                port(env, "PARLEY_POSTGRES_PORT", 15432),
                blankToNull(env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION")),
                blankToNull(env.get("MP_JWT_VERIFY_ISSUER")),
                env.getOrDefault("PARLEY_JAVA_OPTS", "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"),
                env.getOrDefault("PARLEY_KAFKA_JAVA_OPTS", "-Xms128m -Xmx512m -XX:+UseSerialGC"),
                Map.of(
                        "gateway",
                        port(env, "PARLEY_GATEWAY_MANAGEMENT_PORT", 0),
                        "conversation-service",
                        port(env, "PARLEY_CONVERSATION_MANAGEMENT_PORT", 0),
                        "message-service",
                        port(env, "PARLEY_MESSAGE_MANAGEMENT_PORT", 0),
                        "notification-service",
                        port(env, "PARLEY_NOTIFICATION_MANAGEMENT_PORT", 0)),
                gateways(env),
                kafkaSaslSsl(env));
    }

    /**
     * Whether the broker's client listener is {@code SASL_SSL} with {@code SCRAM-SHA-512}, as on Kubernetes
     * ({@code PARLEY_KAFKA_SECURITY=sasl_ssl}), or plain ({@code plaintext}, the default; README's configuration).
     */
    private static boolean kafkaSaslSsl(Map<String, String> env) {
        String value = env.get("PARLEY_KAFKA_SECURITY");
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "plaintext" -> false;
            case "sasl_ssl" -> true;
            default -> throw new StackException("PARLEY_KAFKA_SECURITY=" + value + " is not plaintext or sasl_ssl.");
        };
    }

    /**
     * How many gateway processes run ({@code PARLEY_GATEWAYS}, 1 or 2; default 1). With two, each listens on a port of
     * its own on loopback and a proxy in the launcher takes {@code PARLEY_GATEWAY_PORT} (README's configuration).
     */
    private static int gateways(Map<String, String> env) {
        String value = env.get("PARLEY_GATEWAYS");
        if (value == null || value.isBlank()) {
            return 1;
        }
        return switch (value.trim()) {
            case "1" -> 1;
            case "2" -> 2;
            default -> throw new StackException("PARLEY_GATEWAYS=" + value + " is not 1 or 2.");
        };
    }

    /**
     * The management port (health, metrics) that {@code service} was given ({@code PARLEY_<NAME>_MANAGEMENT_PORT}), or 0
     * when the launcher picks a free one at start.
     */
    int managementPort(String service) {
        return managementPorts.getOrDefault(service, 0);
    }

    /**
     * Every port this configuration names (services, their given management ports, Kafka, PostgreSQL): the ports the
     * launcher must not pick for what it places itself (a second gateway, a management port left to it), because a
     * process started later binds them.
     */
    java.util.Set<Integer> namedPorts() {
        java.util.Set<Integer> ports = new java.util.TreeSet<>(java.util.List.of(
                gatewayPort,
                conversationPort,
                messagePort,
                notificationPort,
                kafkaPort,
                kafkaControllerPort,
                postgresPort));
        managementPorts.values().stream().filter(port -> port != 0).forEach(ports::add);
        return ports;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new StackException(name + "=" + value + " is not a TCP port (1-65535).");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    Path logs() {
        return dataDir.resolve("logs");
    }
}
