package com.example.nodes;

import com.example.support.EffectLog;
import com.example.support.JvmNodes;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Nodes of {@link NodesApplication} on one fresh PostgreSQL (or MariaDB) database, one shared effects log, and what the test reads
 * from the database with plain JDBC. Closing it kills the nodes, closes the test's connection and drops the database.
 */
final class Cluster implements AutoCloseable {

    static final int WORKERS = 4;

    static final Duration LEASE = Duration.ofSeconds(3);

    static final Duration POLL = Duration.ofMillis(200);

    static final Duration GRACE = Duration.ofSeconds(10);

    /** How long a node may take to start: three JVMs start at once on a small, busy machine. */
    static final Duration STARTUP = Duration.ofSeconds(150);

    private final ClusterDatabase database;

    private final JvmNodes nodes;

    private final Path effects;

    private final Connection connection;

    private final List<String> commonArgs;

    private Cluster(ClusterDatabase database, Path dir, List<String> commonArgs) throws SQLException {
        this.database = database;
        this.commonArgs = commonArgs;
        this.nodes = new JvmNodes(dir, NodesApplication.class);
        this.effects = dir.resolve("effects.log");
        this.connection = database.connect();
    }

    /**
     * A cluster on a new database, whose tables the test creates first from the shipped script, as a migration would:
     * nodes that start at the same moment on an empty database would each run {@code CREATE TABLE IF NOT EXISTS},
     * which PostgreSQL does not make safe against concurrent creators. Every node still runs the script at startup
     * ({@code initialize-schema=always}): on existing tables it changes nothing. {@code commonArgs} go to every node.
     */
    static Cluster create(Path dir, String... commonArgs) throws SQLException {
        return create(ClusterDatabase.postgres(), dir, commonArgs);
    }

    /** A cluster on {@code database}, as {@link #create(Path, String...)}. */
    static Cluster create(ClusterDatabase database, Path dir, String... commonArgs) throws SQLException {
        Cluster cluster = new Cluster(database, dir, List.of(commonArgs));
        new ResourceDatabasePopulator(new ClassPathResource(database.schema()))
                .execute(new SingleConnectionDataSource(cluster.connection, true));
        return cluster;
    }

    /**
     * Starts a node; {@code args} ({@code --name=value}) add to or override the common ones. Does not wait for it to
     * be ready.
     */
    JvmNodes.Node start(String nodeId, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(
                "--spring.datasource.url=" + this.database.url(),
                // the LISTEN connection, the scheduler's claims and housekeeping each hold one besides the workers
                "--spring.datasource.hikari.maximum-pool-size=" + (WORKERS + 4),
                "--spring.main.web-application-type=none",
                "--spring.main.banner-mode=off",
                "--spring.main.keep-alive=true",
                "--spring.jpa.hibernate.ddl-auto=validate",
                "--dispatch.jdbc.initialize-schema=always",
                "--dispatch.node-id=" + nodeId,
                "--dispatch.workers=" + WORKERS,
                // Short leases and polls so a dead node's calls move within seconds; not shorter, so that a busy
                // machine stalling the heartbeat (every third of a lease) does not expire live leases.
                "--dispatch.lease-duration=" + LEASE.toMillis() + "ms",
                "--dispatch.poll-interval=" + POLL.toMillis() + "ms",
                "--dispatch.shutdown-grace-period=" + GRACE.toMillis() + "ms",
                "--logging.level.dev.dispatch=INFO",
                "--nodes.effects=" + this.effects));
        // the node's connections carry its id: the test sees when a killed node's are gone
        all.addAll(this.database.nodeProperties(nodeId));
        all.addAll(this.commonArgs);
        all.addAll(List.of(args));
        // one value per property, the last given: Spring would join repeated ones with commas
        Map<String, String> byName = new LinkedHashMap<>();
        for (String arg : all) {
            byName.put(arg.substring(0, arg.indexOf('=')), arg);
        }
        return this.nodes.start(nodeId, List.copyOf(byName.values()));
    }

    /** Starts nodes at once and waits until each is ready. */
    List<JvmNodes.Node> startAll(String... nodeIds) throws IOException, InterruptedException {
        List<JvmNodes.Node> started = new ArrayList<>();
        for (String nodeId : nodeIds) {
            started.add(start(nodeId));
        }
        for (JvmNodes.Node node : started) {
            awaitReady(node);
        }
        return started;
    }

    static void awaitReady(JvmNodes.Node node) throws IOException, InterruptedException {
        node.awaitOutput("READY " + node.name(), STARTUP);
    }

    /** Every node started so far, dead or alive. */
    List<JvmNodes.Node> started() {
        return this.nodes.started();
    }

    EffectLog effects() throws IOException {
        return EffectLog.read(this.effects);
    }

    String output() {
        return this.nodes.output();
    }

    /** Waits until {@code condition} holds, checking every 20 ms; fails after {@code timeout}. */
    static void await(String what, Duration timeout, Condition condition) {
        org.awaitility.Awaitility.await(what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(condition::holds);
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    // ---------------------------------------------------------------- what the database says

    /** The status of each call of {@code function}, by key (its one argument). */
    Map<Integer, String> statuses(String function) throws SQLException {
        Map<Integer, String> statuses = new TreeMap<>();
        for (Row row : rows(function)) {
            if (statuses.put(row.key(), row.status()) != null) {
                throw new AssertionError("Call " + function + "(" + row.key() + ") is recorded more than once");
            }
        }
        return statuses;
    }

    /** Keys of the calls of {@code function} with the given status. */
    Set<Integer> keys(String function, String status) throws SQLException {
        return rows(function).stream()
                .filter(row -> row.status().equals(status))
                .map(Row::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Keys of the calls of {@code function} running under a lease of {@code owner}. */
    Set<Integer> runningOn(String function, String owner) throws SQLException {
        return rows(function).stream()
                .filter(row -> row.status().equals("RUNNING") && owner.equals(row.leaseOwner()))
                .map(Row::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** How many calls of {@code function} each node holds a lease of now. */
    Map<String, Integer> leasesByNode(String function) throws SQLException {
        Map<String, Integer> byNode = new TreeMap<>();
        for (Row row : rows(function)) {
            if (row.status().equals("RUNNING") && row.leaseOwner() != null) {
                byNode.merge(row.leaseOwner(), 1, Integer::sum);
            }
        }
        return byNode;
    }

    /** The attempts each call of {@code function} took, by key. */
    Map<Integer, Integer> attempts(String function) throws SQLException {
        Map<Integer, Integer> attempts = new HashMap<>();
        for (Row row : rows(function)) {
            attempts.put(row.key(), row.attempts());
        }
        return attempts;
    }

    /** The test's own connection, for what a test reads or sets up beyond the invocations. */
    JdbcTemplate jdbc() {
        return new JdbcTemplate(new SingleConnectionDataSource(this.connection, true));
    }

    /** Whether the node of that id still has connections open to the database (a killed one's close at once). */
    boolean connected(String nodeId) throws SQLException {
        return this.database.connected(this.connection, nodeId);
    }

    /** Whether one of the node's connections is running a statement now. */
    boolean busy(String nodeId) throws SQLException {
        return this.database.busy(this.connection, nodeId);
    }

    private List<Row> rows(String function) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement statement = this.connection.prepareStatement(
                "SELECT arguments, status, lease_owner, attempts FROM dispatch_invocation WHERE function_name = ?")) {
            statement.setString(1, function);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    String arguments = result.getString(1); // a JSON array of the one key, e.g. [42]
                    rows.add(new Row(
                            Integer.parseInt(arguments.substring(1, arguments.length() - 1)),
                            result.getString(2),
                            result.getString(3),
                            result.getInt(4)));
                }
            }
        }
        return rows;
    }

    private record Row(int key, String status, String leaseOwner, int attempts) {}

    @Override
    public void close() {
        this.nodes.close();
        try {
            this.connection.close();
        } catch (SQLException ex) {
            // the database is dropped next
        }
        this.database.drop();
    }
}
