package com.example.nodes;

import com.example.support.MariadbDatabase;
import com.example.support.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fresh database a {@link Cluster}'s nodes share, PostgreSQL or MariaDB: where it is, its schema script, and how the
 * test tells that a node's connections are gone (each node's connections carry its id: PostgreSQL's application name,
 * MariaDB's user).
 */
interface ClusterDatabase {

    String url();

    /** The schema script that the test runs before the nodes start. */
    String schema();

    /** Properties that connect node {@code nodeId} to the database under a name the test can see. */
    List<String> nodeProperties(String nodeId);

    Connection connect() throws SQLException;

    /** Whether node {@code nodeId} still has connections open to the database. */
    boolean connected(Connection connection, String nodeId) throws SQLException;

    /** Whether one of node {@code nodeId}'s connections is running a statement (a commit among them). */
    boolean busy(Connection connection, String nodeId) throws SQLException;

    void drop();

    static ClusterDatabase postgres() {
        PostgresDatabase database = PostgresDatabase.create();
        return new ClusterDatabase() {
            @Override
            public String url() {
                return database.url();
            }

            @Override
            public String schema() {
                return "dev/dispatch/store/schema-postgresql.sql";
            }

            @Override
            public List<String> nodeProperties(String nodeId) {
                return List.of(
                        "--spring.datasource.username=" + PostgresDatabase.USER,
                        "--spring.datasource.password=" + PostgresDatabase.PASSWORD,
                        // names the node's connections in pg_stat_activity
                        "--spring.datasource.hikari.data-source-properties.ApplicationName=" + nodeId);
            }

            @Override
            public Connection connect() throws SQLException {
                return database.connect();
            }

            @Override
            public boolean connected(Connection connection, String nodeId) throws SQLException {
                return count(
                                connection,
                                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                                        + " AND application_name = ?",
                                nodeId)
                        > 0;
            }

            @Override
            public boolean busy(Connection connection, String nodeId) throws SQLException {
                return count(
                                connection,
                                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                                        + " AND application_name = ? AND state = 'active'",
                                nodeId)
                        > 0;
            }

            @Override
            public void drop() {
                database.drop();
            }
        };
    }

    static ClusterDatabase mariadb() {
        MariadbDatabase database = MariadbDatabase.create();
        Set<String> users = ConcurrentHashMap.newKeySet();
        return new ClusterDatabase() {
            @Override
            public String url() {
                return database.url();
            }

            @Override
            public String schema() {
                return "dev/dispatch/store/schema-mysql.sql";
            }

            @Override
            public List<String> nodeProperties(String nodeId) {
                String user = user(nodeId);
                try (Connection connection = database.connect();
                        Statement statement = connection.createStatement()) {
                    statement.execute("CREATE USER IF NOT EXISTS '" + user + "'@'%' IDENTIFIED BY 'node'");
                    statement.execute("GRANT ALL ON " + database.name() + ".* TO '" + user + "'@'%'");
                    users.add(user);
                } catch (SQLException ex) {
                    throw new IllegalStateException("Could not create the user of " + nodeId, ex);
                }
                return List.of("--spring.datasource.username=" + user, "--spring.datasource.password=node");
            }

            private String user(String nodeId) {
                // a user per node and database: the server's processlist names each connection's user
                return (database.name().substring(database.name().length() - 12) + "_" + nodeId)
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9_]", "_");
            }

            @Override
            public Connection connect() throws SQLException {
                return database.connect();
            }

            @Override
            public boolean connected(Connection connection, String nodeId) throws SQLException {
                return count(
                                connection,
                                "SELECT COUNT(*) FROM information_schema.processlist WHERE user = ?",
                                user(nodeId))
                        > 0;
            }

            @Override
            public boolean busy(Connection connection, String nodeId) throws SQLException {
                return count(
                                connection,
                                "SELECT COUNT(*) FROM information_schema.processlist WHERE user = ?"
                                        + " AND command <> 'Sleep'",
                                user(nodeId))
                        > 0;
            }

            @Override
            public void drop() {
                try (Connection connection = database.connect();
                        Statement statement = connection.createStatement()) {
                    for (String user : users) {
                        statement.execute("DROP USER IF EXISTS '" + user + "'@'%'");
                    }
                } catch (SQLException ex) {
                    // leftover users are harmless: each run's names are new
                }
                database.drop();
            }
        };
    }

    private static int count(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
