package io.parley.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The TLS and SASL/SCRAM material of a broker whose client listener is {@code SASL_SSL} with {@code SCRAM-SHA-512}
 * (what a Strimzi {@code KafkaUser} of authentication {@code scram-sha-512} gets), kept in one folder and made once:
 *
 * <ul>
 *   <li>{@code broker.p12}: the broker's key and self-signed certificate (PKCS12; SAN {@code IP:127.0.0.1},
 *       {@code DNS:localhost}, so clients' default hostname verification passes), made by the JDK's own
 *       {@code keytool};
 *   <li>{@code ca.crt}: that certificate in PEM, the clients' truststore ({@code ssl.truststore.type=PEM}, as
 *       Strimzi's cluster CA is mounted on Kubernetes);
 *   <li>{@code secrets.properties}: the keystore's password and the client user's SCRAM password (random);
 *   <li>{@code client.properties}: the Kafka client settings that reach the broker (the format Kafka's command-line
 *       tools take with {@code --command-config}), written at each start.
 * </ul>
 *
 * The secret files are readable by their owner only, where the file system knows POSIX permissions.
 */
public final class KafkaSecurity {

    /** The SCRAM user that clients of the local broker sign in as. */
    public static final String USER = "parley";

    /** The SASL mechanism of the client listener (RFC 7677's SCRAM with SHA-512, Kafka's KIP-84). */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private final Path dir;
    private final String keystorePassword;
    private final String password;

    private KafkaSecurity(Path dir, String keystorePassword, String password) {
        this.dir = dir;
        this.keystorePassword = keystorePassword;
        this.password = password;
    }

    /**
     * The material in {@code dir}, made there first if it is missing.
     *
     * @throws IOException when the folder cannot be written or {@code keytool} fails
     */
    public static KafkaSecurity loadOrCreate(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path secrets = dir.resolve("secrets.properties");
        Properties values = new Properties();
        if (Files.exists(secrets) && Files.exists(dir.resolve("broker.p12")) && Files.exists(dir.resolve("ca.crt"))) {
            try (InputStream in = Files.newInputStream(secrets)) {
                values.load(in);
            }
            return new KafkaSecurity(dir, values.getProperty("keystore.password"), values.getProperty("password"));
        }
        KafkaSecurity security = new KafkaSecurity(dir, randomSecret(), randomSecret());
        Files.deleteIfExists(dir.resolve("broker.p12"));
        Files.deleteIfExists(dir.resolve("ca.crt"));
        security.keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "3650",
                "-dname",
                "CN=parley-local-kafka",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                dir.resolve("broker.p12").toString(),
                "-storepass:env",
                "PARLEY_KEYSTORE_PASSWORD");
        security.keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                dir.resolve("broker.p12").toString(),
                "-storepass:env",
                "PARLEY_KEYSTORE_PASSWORD",
                "-file",
                dir.resolve("ca.crt").toString());
        values.setProperty("keystore.password", security.keystorePassword);
        values.setProperty("password", security.password);
        writeOwnerOnly(secrets, values, "the local Kafka broker's keystore and SCRAM passwords");
        ownerOnly(dir.resolve("broker.p12"));
        return security;
    }

    /** The client user's SCRAM password. */
    public String password() {
        return password;
    }

    /** The PEM file clients trust the broker's certificate by. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /**
     * The broker settings that make listener {@code listener} (a name of {@code listeners}, upper case) serve
     * {@code SASL_SSL} with {@code SCRAM-SHA-512} (Kafka's broker configuration, {@code listener.name.<name>.*}).
     */
    Map<String, String> brokerSettings(String listener) {
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("sasl.enabled.mechanisms", MECHANISM);
        settings.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
        settings.put(
                prefix + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        settings.put(prefix + "ssl.keystore.type", "PKCS12");
        settings.put(prefix + "ssl.keystore.location", dir.resolve("broker.p12").toString());
        settings.put(prefix + "ssl.keystore.password", keystorePassword);
        settings.put(prefix + "ssl.key.password", keystorePassword);
        settings.put(prefix + "ssl.client.auth", "none");
        return settings;
    }

    /**
     * The client settings (Kafka client configuration names) that reach a broker on {@code bootstrapServers} through a
     * listener this material secures, as user {@code user} with {@code password}.
     */
    public Map<String, String> clientSettings(String bootstrapServers, String user, String password) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers);
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", MECHANISM);
        settings.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
        settings.put("ssl.truststore.type", "PEM");
        settings.put("ssl.truststore.location", caCertificate().toAbsolutePath().toString());
        return settings;
    }

    /** The same, for {@link #USER} and its password. */
    public Map<String, String> clientSettings(String bootstrapServers) {
        return clientSettings(bootstrapServers, USER, password);
    }

    /** Writes {@link #clientSettings(String)} to {@code client.properties} (owner only) and answers that file. */
    Path writeClientProperties(String bootstrapServers) throws IOException {
        Properties properties = new Properties();
        properties.putAll(clientSettings(bootstrapServers));
        Path file = dir.resolve("client.properties");
        writeOwnerOnly(file, properties, "Kafka client settings of the local broker (SASL_SSL, SCRAM-SHA-512)");
        return file;
    }

    /**
     * The settings of {@code client.properties} in {@code dir} as the environment variables a Quarkus service reads
     * them from ({@code KAFKA_} and the name upper case with {@code _} for {@code .}: {@code KAFKA_SECURITY_PROTOCOL},
     * {@code KAFKA_SASL_JAAS_CONFIG}, {@code KAFKA_SSL_TRUSTSTORE_LOCATION}...), the names the Kubernetes manifests
     * set.
     *
     * @throws IOException when the file cannot be read (the broker has not started with this folder yet)
     */
    public static Map<String, String> clientEnvironment(Path dir) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("client.properties"))) {
            properties.load(in);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            env.put("KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_'), properties.getProperty(name));
        }
        return env;
    }

    private void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the password reaches keytool through its environment, never its command line (which ps shows)
        builder.environment().put("PARLEY_KEYSTORE_PASSWORD", keystorePassword);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(
                        "keytool " + arguments[0] + " failed: " + new String(output, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writeOwnerOnly(Path file, Properties values, String comment) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary);
        ownerOnly(temporary);
        try (OutputStream out = Files.newOutputStream(temporary)) {
            values.store(out, comment);
        }
        Files.move(
                temporary,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX permissions: left as its defaults make it
        }
    }
}
