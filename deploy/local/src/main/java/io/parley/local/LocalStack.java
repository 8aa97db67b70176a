package io.parley.local;

import io.parley.infra.DevKeys;
import io.parley.infra.FreePort;
import io.parley.infra.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * The whole system on one machine: PostgreSQL and a Kafka broker as processes of their own, with their data under
 * one folder, then the four services, each its own JVM with its own port, configuration and log file.
 * Ctrl-C or SIGTERM stops everything it started.
 */
public final class LocalStack {

    static final String READY_PREFIX = "[parley] READY";
    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(120);

    /** The demo users, with stable ids so that a restarted stack still knows their conversations. */
    static final Map<String, String> DEMO_USERS = demoUsers();

    private final StackConfig config;
    private final List<ChildProcess> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How many times in a row each process ended on its own soon after it was started. */
    private final Map<String, Integer> quickEnds = new HashMap<>();

    /** A process that ends on its own this many times in a row, each within {@link #SETTLED} of its start, stays down. */
    private static final int MAX_RESTARTS = 3;

    private static final Duration SETTLED = Duration.ofMinutes(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ChildProcess kafka;
    private volatile PostgresServer postgres;
    /** The S3-compatible store started for {@code PARLEY_FILES_STORE=s3} without an endpoint, or null. */
    private volatile io.parley.infra.EmbeddedS3 s3;
    /** The proxy on the public gateway port in front of the gateways ({@code PARLEY_GATEWAYS=2}), or null. */
    private volatile GatewayProxy gatewayProxy;

    private volatile boolean stopping;

    private LocalStack(StackConfig config) {
        this.config = config;
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        Path repository = Path.of(System.getProperty("parley.repository", "."))
                .toAbsolutePath()
                .normalize();
        LocalStack stack;
        try {
            stack = new LocalStack(StackConfig.fromEnvironment(repository, System.getenv()));
        } catch (StackException e) {
            System.err.println("[parley] " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "parley-stop"));
        try {
            stack.start(started);
        } catch (StackException e) {
            System.err.println("[parley] cannot start: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("[parley] cannot start: " + e);
            System.exit(1);
        }
        int code = stack.superviseUntilStopped();
        System.exit(code);
    }

    private void start(long startedNanos) throws Exception {
        Files.createDirectories(config.logs());
        boolean firstStart = !Files.exists(config.dataDir().resolve("postgres").resolve("PG_VERSION"));
        say("data folder " + config.dataDir() + (firstStart ? " (new)" : " (reused)"));
        new StaleProcesses(config.dataDir().resolve("pids")).killLeftovers();
        StaleProcesses.stopOrphanPostgres(config.dataDir().resolve("postgres"));
        checkPortsFree();
        // ports picked here (a second gateway's, a management port left to the launcher) must not be one that a
        // service started later binds: the kernel only knows a port as taken once it listens
        FreePort.reserve(config.namedPorts());

        say("starting PostgreSQL on port " + config.postgresPort() + " and Kafka on port " + config.kafkaPort());
        CompletableFuture<PostgresServer> pg = CompletableFuture.supplyAsync(this::startPostgres);
        kafka = startKafka();
        recordPids();
        kafka.awaitLogLine("KAFKA READY", Duration.ofSeconds(90));
        say("Kafka ready (log " + kafka.log() + ")"
                + (config.kafkaSaslSsl()
                        ? "; its client listener is SASL_SSL with SCRAM-SHA-512, client settings in "
                                + kafkaSecurityDir().resolve("client.properties")
                        : ""));
        try {
            postgres = pg.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StackException se
                    ? se
                    : new StackException(
                            "PostgreSQL did not start: " + e.getCause().getMessage() + " (see " + config.logs() + ")",
                            e);
        }
        say("PostgreSQL ready");
        if (stopping) {
            return;
        }

        Trust trust = trust();
        Map<String, String> common = new HashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + config.kafkaPort());
        if (config.kafkaSaslSsl()) {
            // every Kafka client of every service (channels, outbox relays, admin clients) through the variables an
            // operator sets on Kubernetes: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG...
            common.putAll(io.parley.infra.KafkaSecurity.clientEnvironment(kafkaSecurityDir()));
        }
        common.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", trust.publicKeyLocation());
        common.put("MP_JWT_VERIFY_ISSUER", trust.issuer());

        Map<String, String> files = filesStore();

        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("conversation-service", config.conversationPort());
        ports.put("message-service", config.messagePort());
        ports.put("notification-service", config.notificationPort());
        List<Integer> gatewayPorts = new ArrayList<>();
        if (config.gateways() == 1) {
            ports.put("gateway", config.gatewayPort());
        } else {
            // gateway-1, gateway-2...: each on a loopback port of its own, behind the proxy on the public port
            for (int i = 1; i <= config.gateways(); i++) {
                int port = FreePort.find();
                ports.put("gateway-" + i, port);
                gatewayPorts.add(port);
            }
        }
        Map<String, Integer> management = managementPorts(ports.keySet());
        for (Map.Entry<String, Integer> service : ports.entrySet()) {
            String name = service.getKey();
            String program = program(name);
            String database = program.replace("-service", "");
            postgres.createDatabase(database);
            Map<String, String> env = new HashMap<>(common);
            env.put("QUARKUS_HTTP_PORT", String.valueOf(service.getValue()));
            // Only the gateway is meant to be reached from outside this machine.
            // (with several gateways, the proxy is that entry, and each gateway listens on loopback only)
            env.put("QUARKUS_HTTP_HOST", name.equals("gateway") ? "0.0.0.0" : "127.0.0.1");
            // Health and metrics: each service's management interface, on loopback only, the gateway's included.
            env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management.get(name)));
            env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
            env.put("PARLEY_CONVERSATION_URL", "http://127.0.0.1:" + config.conversationPort());
            env.put("PARLEY_MESSAGE_URL", "http://127.0.0.1:" + config.messagePort());
            env.put("PARLEY_NOTIFICATION_URL", "http://127.0.0.1:" + config.notificationPort());
            // Files (message-service) live in the data folder unless another store or folder is given.
            if (name.equals("message-service")) {
                env.putAll(files);
            }
            if (System.getenv("PARLEY_FILES_DIR") == null) {
                env.put(
                        "PARLEY_FILES_DIR",
                        config.dataDir().resolve("files").toAbsolutePath().toString());
            }
            // Every client of the local stack (the harness's thousands included) comes from loopback: one address, so
            // the gateway's limit of upgrade attempts per address is off unless asked for (README's configuration).
            if (name.startsWith("gateway") && System.getenv("PARLEY_GATEWAY_UPGRADE_ATTEMPTS") == null) {
                env.put("PARLEY_GATEWAY_UPGRADE_ATTEMPTS", "0");
            }
            // Local push endpoints (a test receiver on this machine) are plain http.
            env.put("PARLEY_PUSH_ALLOW_LOOPBACK_HTTP", "true");
            // Web Push's VAPID key pair: made once in the data folder unless one is given.
            if (System.getenv("PARLEY_PUSH_VAPID_PUBLIC_KEY") == null
                    && System.getenv("PARLEY_PUSH_VAPID_KEYS_FILE") == null) {
                env.put(
                        "PARLEY_PUSH_VAPID_KEYS_FILE",
                        config.dataDir()
                                .resolve("keys")
                                .resolve("vapid.keys")
                                .toAbsolutePath()
                                .toString());
            }
            services.add(startService(name, program, env));
        }
        recordPids();
        say("starting the services: " + String.join(", ", ports.keySet()));
        List<CompletableFuture<Void>> readiness = new ArrayList<>();
        for (ChildProcess service : services) {
            int port = ports.get(service.name());
            String managementUrl = "http://127.0.0.1:" + management.get(service.name());
            healthUrls.put(service.name(), managementUrl + "/q/health/ready");
            readiness.add(CompletableFuture.runAsync(() -> {
                service.awaitHttpOk(managementUrl + "/q/health/ready", SERVICE_START_TIMEOUT);
                say(service.name() + " ready on port " + port + ", metrics " + managementUrl + "/q/metrics");
            }));
        }
        try {
            CompletableFuture.allOf(readiness.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof StackException se ? se : e;
        }
        String gateways = "gateway";
        if (!gatewayPorts.isEmpty()) {
            try {
                List<String> gatewayReadiness = new ArrayList<>();
                for (int i = 1; i <= gatewayPorts.size(); i++) {
                    gatewayReadiness.add(healthUrls.get("gateway-" + i));
                }
                gatewayProxy = GatewayProxy.start("0.0.0.0", config.gatewayPort(), gatewayPorts, gatewayReadiness);
            } catch (IOException e) {
                throw new StackException(
                        "the gateway proxy cannot listen on port " + config.gatewayPort() + ": " + e.getMessage(), e);
            }
            gateways = gatewayPorts.size() + " gateways (ports "
                    + gatewayPorts.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
                    + ") behind one address,";
            say("gateway proxy on port " + config.gatewayPort() + ": new connections go to " + gatewayPorts
                    + " in turn, skipping a gateway that is down");
        }

        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        String url = "http://localhost:" + config.gatewayPort();
        System.out.println(String.format(
                Locale.ROOT,
                "%s %s %s (WebSocket ws://localhost:%d/ws), started in %.1f s; logs in %s",
                READY_PREFIX,
                gateways,
                url,
                config.gatewayPort(),
                seconds,
                config.logs()));
        say("web app: " + url + "/ (sign in through your identity provider, or with a demo link below)");
        if (trust.keys() != null) {
            printDemoTokens(trust.keys(), url);
        } else {
            say("JWT trust from MP_JWT_VERIFY_PUBLICKEY_LOCATION=" + trust.publicKeyLocation()
                    + "; use tokens from your identity provider");
        }
        say("Ctrl-C stops the stack");
    }

    /**
     * The message-service's file store settings: none to add for the filesystem (the default) or an S3 store given by
     * its endpoint; for {@code PARLEY_FILES_STORE=s3} without {@code PARLEY_FILES_S3_ENDPOINT}, an S3-compatible
     * server of its own (S3Proxy) started with its objects in the data folder's {@code s3/}, bucket
     * {@code parley-files}.
     */
    private Map<String, String> filesStore() {
        if (!"s3".equalsIgnoreCase(System.getenv("PARLEY_FILES_STORE"))
                || System.getenv("PARLEY_FILES_S3_ENDPOINT") != null) {
            return Map.of();
        }
        try {
            s3 = io.parley.infra.EmbeddedS3.start(config.dataDir().resolve("s3"));
            s3.bucket("parley-files");
            say("S3-compatible store (S3Proxy) on " + s3.endpoint() + ", bucket parley-files");
            return s3.filesEnvironment("parley-files");
        } catch (IOException e) {
            throw new StackException("the S3-compatible store did not start: " + e.getMessage(), e);
        }
    }

    /**
     * The management port of each service: the one its {@code PARLEY_<NAME>_MANAGEMENT_PORT} names, else a free port
     * picked now (kept when the service is started again).
     */
    private Map<String, Integer> managementPorts(java.util.Collection<String> names) {
        Map<String, Integer> ports = new HashMap<>();
        for (String name : names) {
            // gateway-1 takes the gateway's given port, if any; the other gateways a free one
            int given = config.managementPort(name.equals("gateway-1") ? "gateway" : name);
            ports.put(name, given != 0 ? given : FreePort.find());
        }
        return ports;
    }

    private PostgresServer startPostgres() {
        try {
            return PostgresServer.start(config.dataDir().resolve("postgres"), config.postgresPort(), true);
        } catch (Exception e) {
            throw new StackException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    private ChildProcess startKafka() throws IOException {
        Path log = rotate(config.logs().resolve("kafka.log"));
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(List.of(config.kafkaJavaOptions().trim().split("\\s+")));
        command.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp",
                System.getProperty("java.class.path"),
                "io.parley.infra.KafkaBrokerMain",
                config.dataDir().resolve("kafka").toString(),
                String.valueOf(config.kafkaPort()),
                String.valueOf(config.kafkaControllerPort())));
        if (config.kafkaSaslSsl()) {
            // TLS and SCRAM material in the data folder; the broker's own plain listener on a loopback port picked
            // here, where the ports of the services are known
            command.add(kafkaSecurityDir().toString());
            command.add(String.valueOf(FreePort.find()));
        }
        return ChildProcess.start("kafka", command, Map.of(), log, config.repository());
    }

    /** Where the broker keeps its TLS and SCRAM material, and the clients' settings ({@code client.properties}). */
    private Path kafkaSecurityDir() {
        return config.dataDir().resolve("kafka-security");
    }

    /** The service a process of the stack runs: its own name, or {@code gateway} for gateway-1, gateway-2... */
    private static String program(String processName) {
        return processName.startsWith("gateway") ? "gateway" : processName;
    }

    private ChildProcess startService(String name, String program, Map<String, String> env) throws IOException {
        Path jar = config.repository().resolve(program).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new StackException(
                    jar + " is missing: build with ./mvnw package -DskipTests (deploy/local/run does)");
        }
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(List.of(config.javaOptions().trim().split("\\s+")));
        command.add("-jar");
        command.add(jar.toString());
        return ChildProcess.start(
                name, command, env, rotate(config.logs().resolve(name + ".log")), config.repository());
    }

    private record Trust(String publicKeyLocation, String issuer, DevKeys keys) {}

    /** The stack trusts the key the user gives, untouched; without one it makes its own once and keeps it. */
    private Trust trust() throws Exception {
        if (config.publicKeyLocation() != null) {
            String issuer = config.issuer() != null ? config.issuer() : StackConfig.DEFAULT_ISSUER;
            return new Trust(config.publicKeyLocation(), issuer, null);
        }
        String issuer = config.issuer() != null ? config.issuer() : StackConfig.DEFAULT_ISSUER;
        DevKeys keys = DevKeys.loadOrCreate(config.dataDir().resolve("keys"), issuer);
        return new Trust(keys.publicKeyPath().toString(), issuer, keys);
    }

    private void printDemoTokens(DevKeys keys, String url) throws IOException {
        StringBuilder tokens = new StringBuilder();
        StringBuilder links = new StringBuilder();
        for (Map.Entry<String, String> user : DEMO_USERS.entrySet()) {
            String role = user.getKey();
            String name = "Demo " + Character.toUpperCase(role.charAt(0)) + role.substring(1);
            String token = keys.token(user.getValue(), role, name, Duration.ofHours(24));
            tokens.append(String.format("%-6s %s  %s%n", role, user.getValue(), token));
            links.append(String.format("sign in as the demo %-6s %s/#access_token=%s%n", role, url, token));
        }
        Path file = config.dataDir().resolve("demo-tokens.txt");
        Files.writeString(file, tokens.toString());
        say("demo tokens (24 h; also in " + file + "):");
        System.out.print(tokens);
        Path linkFile = config.dataDir().resolve("demo-links.txt");
        Files.writeString(linkFile, links.toString());
        say("sign-in links for the web app (also in " + linkFile + "):");
        System.out.print(links);
        System.out.flush();
    }

    private void checkPortsFree() {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put("gateway (PARLEY_GATEWAY_PORT)", config.gatewayPort());
        wanted.put("conversation-service (PARLEY_CONVERSATION_PORT)", config.conversationPort());
        wanted.put("message-service (PARLEY_MESSAGE_PORT)", config.messagePort());
        wanted.put("notification-service (PARLEY_NOTIFICATION_PORT)", config.notificationPort());
        wanted.put("Kafka (PARLEY_KAFKA_PORT)", config.kafkaPort());
        wanted.put("Kafka controller (PARLEY_KAFKA_CONTROLLER_PORT)", config.kafkaControllerPort());
        wanted.put("PostgreSQL (PARLEY_POSTGRES_PORT)", config.postgresPort());
        config.managementPorts().forEach((service, port) -> {
            if (port != 0) {
                wanted.put(
                        service + " management (PARLEY_"
                                + service.replace("-service", "").toUpperCase(Locale.ROOT) + "_MANAGEMENT_PORT)",
                        port);
            }
        });
        List<String> taken = new ArrayList<>();
        wanted.forEach((what, port) -> {
            if (FreePort.inUse(port)) {
                taken.add("port " + port + " for " + what);
            }
        });
        if (new java.util.HashSet<>(wanted.values()).size() != wanted.size()) {
            throw new StackException("two components are configured on the same port: " + wanted);
        }
        if (!taken.isEmpty()) {
            throw new StackException("already in use: " + String.join(", ", taken)
                    + ". Stop what uses it, or set the variable named to a free port.");
        }
    }

    private void recordPids() throws IOException {
        List<ChildProcess> all = new ArrayList<>(services);
        all.add(kafka);
        new StaleProcesses(config.dataDir().resolve("pids")).record(all);
    }

    /**
     * Blocks until a stop signal or until a process of the stack stays down; answers the exit code. As a service
     * manager would, every process that ends on its own (a service, a gateway, the Kafka broker, PostgreSQL) is
     * started again, unless it keeps ending within a minute of its start (a crash loop: the stack stops).
     */
    private int superviseUntilStopped() {
        while (!stopping) {
            for (ChildProcess child : allChildren()) {
                if (!child.isAlive() && !(endedBySignalToGroup(child) && stoppingSoon())) {
                    if (mayRestart(child.name(), child.uptime())) {
                        restart(child);
                        continue;
                    }
                    System.err.println("[parley] " + child.name() + " stopped unexpectedly (exit code "
                            + child.process().exitValue() + "); its log is " + child.log() + ":\n"
                            + ChildProcess.tail(child.log(), 15) + "\n[parley] it ended " + MAX_RESTARTS
                            + " times in a row within " + SETTLED.toSeconds() + " s of its start; stopping the stack");
                    return 1;
                }
            }
            if (!stopping && !superviseDatabase()) {
                return 1;
            }
            try {
                if (stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        return 0;
    }

    private long postgresStartedNanos = System.nanoTime();
    /** Each service's readiness URL (on its management port), by name. */
    private final Map<String, String> healthUrls = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Starts PostgreSQL again when its postmaster ended on its own (its own crash recovery replays the WAL); answers
     * false when it keeps ending, or will not start.
     */
    private boolean superviseDatabase() {
        PostgresServer running = postgres;
        if (running == null) {
            return true;
        }
        long pid = running.postmasterPid();
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return true;
        }
        if (stoppingSoon()) {
            return true;
        }
        Duration uptime = Duration.ofNanos(System.nanoTime() - postgresStartedNanos);
        if (!mayRestart("postgresql", uptime)) {
            System.err.println("[parley] PostgreSQL stopped unexpectedly " + MAX_RESTARTS + " times in a row within "
                    + SETTLED.toSeconds() + " s of its start; its log is in "
                    + config.dataDir().resolve("postgres")
                    + "; stopping the stack");
            return false;
        }
        System.err.println("[parley] postgresql stopped unexpectedly; starting it again");
        try {
            long restartedNanos = System.nanoTime();
            postgres = running.restartAfterCrash(Duration.ofSeconds(60));
            postgresStartedNanos = System.nanoTime();
            readyAgain("postgresql", restartedNanos);
            return true;
        } catch (IOException e) {
            System.err.println("[parley] " + e.getMessage() + "; stopping the stack");
            return false;
        }
    }

    /**
     * Whether {@code name}, which ended on its own after {@code uptime}, may be started again: always after it had
     * run for {@link #SETTLED}, otherwise up to {@link #MAX_RESTARTS} times in a row.
     */
    private boolean mayRestart(String name, Duration uptime) {
        if (uptime.compareTo(SETTLED) >= 0) {
            quickEnds.put(name, 0);
            return true;
        }
        return quickEnds.merge(name, 1, Integer::sum) <= MAX_RESTARTS;
    }

    /** As a service manager would: the same command again, its output appended to the same log. */
    private void restart(ChildProcess child) {
        System.err.println("[parley] " + child.name() + " stopped unexpectedly (exit code "
                + child.process().exitValue() + "); starting it again (log " + child.log() + ")");
        ChildProcess again = child.restart();
        if (child == kafka) {
            kafka = again;
        } else {
            services.set(services.indexOf(child), again);
        }
        if (stopping) {
            again.stop(Duration.ofSeconds(15));
            return;
        }
        try {
            recordPids();
        } catch (IOException e) {
            System.err.println("[parley] pids not recorded: " + e.getMessage());
        }
        long restartedNanos = System.nanoTime();
        CompletableFuture.runAsync(() -> {
            try {
                if (again == kafka) {
                    awaitPort(config.kafkaPort(), again);
                } else {
                    again.awaitHttpOk(healthUrls.get(again.name()), SERVICE_START_TIMEOUT);
                }
                readyAgain(again.name(), restartedNanos);
            } catch (RuntimeException e) {
                System.err.println("[parley] " + again.name() + " did not become ready again: " + e.getMessage());
            }
        });
    }

    /**
     * Says that {@code name} is ready again and appends {@code <name> <epoch ms>} to the data folder's
     * {@code restarts} file (what the harness's chaos scenario reads to tell a process being back from its
     * clients being healed).
     */
    private void readyAgain(String name, long restartedNanos) {
        say(String.format(
                java.util.Locale.ROOT,
                "%s ready again, %.1f s after it was started again",
                name,
                (System.nanoTime() - restartedNanos) / 1e9));
        try {
            Files.writeString(
                    config.dataDir().resolve("restarts"),
                    name + " " + System.currentTimeMillis() + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[parley] restarts not recorded: " + e.getMessage());
        }
    }

    /** Waits until something accepts connections on {@code port} of loopback, failing early if {@code process} ends. */
    private static void awaitPort(int port, ChildProcess process) {
        long deadline = System.nanoTime() + SERVICE_START_TIMEOUT.toNanos();
        while (true) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw process.failure("did not accept connections on port " + port);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw process.failure("was interrupted while starting");
                }
            }
        }
    }

    /** Ended by SIGINT or SIGTERM (exit code 130 or 143), as Ctrl-C in the terminal does to the whole group. */
    private static boolean endedBySignalToGroup(ChildProcess child) {
        int code = child.process().exitValue();
        return code == 130 || code == 143 || code == 0;
    }

    /**
     * Ctrl-C in a terminal reaches every process of the foreground group at once: a child may end a moment before
     * this launcher's own shutdown starts. That is a stop, not a crash.
     */
    private boolean stoppingSoon() {
        try {
            return stopped.await(1, java.util.concurrent.TimeUnit.SECONDS) || stopping;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private List<ChildProcess> allChildren() {
        List<ChildProcess> all = new ArrayList<>(services);
        if (kafka != null) {
            all.add(kafka);
        }
        return all;
    }

    private synchronized void stop() {
        if (stopping && stopped.getCount() == 0) {
            return;
        }
        stopping = true;
        say("stopping");
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ChildProcess service : services) {
            stops.add(CompletableFuture.runAsync(() -> service.stop(Duration.ofSeconds(15))));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        if (gatewayProxy != null) {
            gatewayProxy.close();
        }
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
        }
        if (s3 != null) {
            s3.stop();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("[parley] PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(config.dataDir().resolve("pids"));
        } catch (IOException ignored) {
            // the next start checks the pids anyway
        }
        say("stopped");
        stopped.countDown();
    }

    private static Path rotate(Path log) throws IOException {
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        return log;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void say(String line) {
        System.out.println("[parley] " + line);
        System.out.flush();
    }

    private static Map<String, String> demoUsers() {
        Map<String, String> users = new LinkedHashMap<>();
        for (String role : List.of("client", "expert", "admin")) {
            users.put(
                    role,
                    UUID.nameUUIDFromBytes(("parley-demo-" + role).getBytes()).toString());
        }
        return users;
    }
}
