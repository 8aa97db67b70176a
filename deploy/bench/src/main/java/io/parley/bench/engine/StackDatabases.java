package io.parley.bench.engine;

import io.parley.infra.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's PostgreSQL seen from the harness: the port from its {@code postmaster.pid} (in
 * {@code <data>/postgres}), the launcher's credentials, one database per service (named after it:
 * {@code conversation}, {@code message}, {@code notification}, {@code gateway}), and each table's exact row count and
 * size on disk.
 */
public final class StackDatabases {

    /** A table's row count ({@code count(*)}) and {@code pg_total_relation_size} (heap, indexes, TOAST) in bytes. */
    public record TableSize(long rows, long bytes) {}

    private final int port;

    private StackDatabases(int port) {
        this.port = port;
    }

    /**
     * The PostgreSQL of the stack whose data folder is {@code dataDir}; its port is the fourth line of
     * {@code postgres/postmaster.pid} (PostgreSQL's own layout of that file).
     *
     * @throws IllegalStateException if the file cannot be read (no local PostgreSQL there)
     */
    public static StackDatabases of(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
            return new StackDatabases(Integer.parseInt(lines.get(3).trim()));
        } catch (Exception e) {
            throw new IllegalStateException("no running PostgreSQL in " + dataDir.resolve("postgres"), e);
        }
    }

    /** The databases of the services (every database but {@code postgres} and the templates), sorted by name. */
    public List<String> databases() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = connect("postgres");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT datname FROM pg_database WHERE NOT datistemplate "
                        + "AND datname <> 'postgres' ORDER BY datname")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        }
        return names;
    }

    /** Every table of {@code database}'s public schema, by name (sorted), with its rows and bytes now. */
    public Map<String, TableSize> tables(String database) throws SQLException {
        Map<String, TableSize> sizes = new LinkedHashMap<>();
        try (Connection c = connect(database);
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r =
                    s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            for (String table : tables) {
                String quoted = "\"" + table.replace("\"", "\"\"") + "\"";
                try (ResultSet r = s.executeQuery(
                        "SELECT (SELECT count(*) FROM " + quoted + "), pg_total_relation_size('" + quoted + "')")) {
                    r.next();
                    sizes.put(table, new TableSize(r.getLong(1), r.getLong(2)));
                }
            }
        }
        return sizes;
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database, PostgresServer.USER, PostgresServer.PASSWORD);
    }
}
