package com.example.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test class, on the server named by {@code DISPATCH_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code postgres}). Without a server the tests are skipped,
 * with the reason in the report; {@code .ci/run} makes sure there is one. Shared by the in-process PostgreSQL tests
 * and the multi-node tests, whose nodes are JVMs of their own.
 */
public final class PostgresDatabase {

    public static final String ADMIN_URL =
            System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");

    public static final String USER = System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_USER", "postgres");

    public static final String PASSWORD = System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_PASSWORD", "");

    private final String name = "dispatch_test_" + UUID.randomUUID().toString().replace("-", "");

    /** Creates the database, or skips the test when no server answers. */
    public static PostgresDatabase create() {
        PostgresDatabase database = new PostgresDatabase();
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database.name);
        } catch (SQLException ex) {
            Assumptions.abort("No PostgreSQL server at " + ADMIN_URL + " (" + ex.getMessage()
                    + "); run .ci/run or set DISPATCH_TEST_POSTGRES_URL to run the PostgreSQL tests");
        }
        return database;
    }

    public String url() {
        int slash = ADMIN_URL.lastIndexOf('/');
        return ADMIN_URL.substring(0, slash + 1) + this.name;
    }

    /** A plain JDBC connection to the database, for a test to read what the nodes wrote. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    public void drop() {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
        } catch (SQLException ex) {
            // a leftover database is harmless: every run uses a new name
        }
    }
}
