package com.example.shop.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test class, on the server named by {@code DISPATCH_TEST_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code postgres}). Without a server the tests are skipped,
 * with the reason in the report; {@code .ci/run} makes sure there is one.
 */
final class PostgresDatabase {

    static final String ADMIN_URL =
            System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");

    static final String USER = System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_USER", "postgres");

    static final String PASSWORD = System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_PASSWORD", "");

    private final String name = "dispatch_test_" + UUID.randomUUID().toString().replace("-", "");

    /** Creates the database, or skips the test when no server answers. */
    static PostgresDatabase create() {
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

    String url() {
        int slash = ADMIN_URL.lastIndexOf('/');
        return ADMIN_URL.substring(0, slash + 1) + this.name;
    }

    void drop() {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
        } catch (SQLException ex) {
            // a leftover database is harmless: every run uses a new name
        }
    }
}
