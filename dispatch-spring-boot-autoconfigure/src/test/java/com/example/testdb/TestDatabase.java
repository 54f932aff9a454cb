package com.example.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which database the engine test suite runs on: embedded H2 by default, PostgreSQL when the system property
 * {@code dispatch.test.database=postgresql} is set (the build's second test run sets it). On PostgreSQL each Spring
 * context gets a database of its own, created fresh and dropped when the JVM exits, so runs never see each other's rows.
 */
public final class TestDatabase {

    /** The PostgreSQL server, as an admin URL: env {@code DISPATCH_TEST_POSTGRES_URL}, else the local default. */
    public static final String ADMIN_URL =
            System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");

    public static final String USER = System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_USER", "postgres");

    public static final String PASSWORD = System.getenv().getOrDefault("DISPATCH_TEST_POSTGRES_PASSWORD", "");

    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropAll, "drop-test-databases"));
    }

    private TestDatabase() {}

    /** Whether this test run is on PostgreSQL. */
    public static boolean isPostgres() {
        return "postgresql".equalsIgnoreCase(System.getProperty("dispatch.test.database"));
    }

    /** Why PostgreSQL cannot be used, or {@code null} if it answers. */
    public static String unavailableReason() {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD)) {
            return null;
        } catch (SQLException ex) {
            return "No PostgreSQL server at " + ADMIN_URL + " (" + ex.getMessage()
                    + "); run .ci/run or set DISPATCH_TEST_POSTGRES_URL to run the suite on PostgreSQL";
        }
    }

    /** Creates a fresh database and returns its JDBC URL. */
    public static String createDatabase() {
        String name = "dispatch_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException ex) {
            throw new IllegalStateException("Could not create a test database on " + ADMIN_URL, ex);
        }
        CREATED.add(name);
        return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
    }

    private static void dropAll() {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String name : CREATED) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        } catch (SQLException ex) {
            // leftovers are harmless: every run uses new names
        }
    }
}
