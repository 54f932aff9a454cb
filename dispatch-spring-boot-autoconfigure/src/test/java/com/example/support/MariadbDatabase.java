package com.example.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh MariaDB (or MySQL) database for one test, on the server named by {@code DISPATCH_TEST_MARIADB_URL} (default
 * {@code jdbc:mariadb://127.0.0.1:3306/}, user {@code root}, no password). Without a server the tests are skipped, with
 * the reason in the report; {@code .ci/run} makes sure there is one (see {@code .ci/mariadb.sh}).
 */
public final class MariadbDatabase {

    public static final String ADMIN_URL =
            System.getenv().getOrDefault("DISPATCH_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");

    public static final String USER = System.getenv().getOrDefault("DISPATCH_TEST_MARIADB_USER", "root");

    public static final String PASSWORD = System.getenv().getOrDefault("DISPATCH_TEST_MARIADB_PASSWORD", "");

    private final String name = "dispatch_test_" + UUID.randomUUID().toString().replace("-", "");

    /** Creates the database, or skips the test when no server answers. */
    public static MariadbDatabase create() {
        String reason = unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        MariadbDatabase database = new MariadbDatabase();
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database.name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not create a MariaDB database at " + ADMIN_URL, ex);
        }
        return database;
    }

    /** Why MariaDB cannot be used, or {@code null} if it answers. */
    public static String unavailableReason() {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD)) {
            return null;
        } catch (SQLException ex) {
            return "No MariaDB server at " + ADMIN_URL + " (" + ex.getMessage()
                    + "); run .ci/run or set DISPATCH_TEST_MARIADB_URL to run the MariaDB tests";
        }
    }

    public String url() {
        return ADMIN_URL + this.name;
    }

    public String name() {
        return this.name;
    }

    /** A plain JDBC connection to the database, for a test to read what the nodes wrote. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    public void drop() {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + this.name);
        } catch (SQLException ex) {
            // a leftover database is harmless: every run uses a new name
        }
    }
}
