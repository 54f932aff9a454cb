package com.example.testdb;

import com.example.support.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which database the engine test suite runs on: embedded H2 by default, PostgreSQL when the system property
 * {@code dispatch.test.database=postgresql} is set (the build's second test run sets it). On PostgreSQL each Spring
 * context gets a database of its own, created fresh and dropped when the JVM exits, so runs never see each other's rows.
 */
public final class TestDatabase {

    private static final List<PostgresDatabase> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> CREATED.forEach(PostgresDatabase::drop), "drop-test-databases"));
    }

    private TestDatabase() {}

    /** Whether this test run is on PostgreSQL. */
    public static boolean isPostgres() {
        return "postgresql".equalsIgnoreCase(System.getProperty("dispatch.test.database"));
    }

    /** Why PostgreSQL cannot be used, or {@code null} if it answers. */
    public static String unavailableReason() {
        try (Connection connection = DriverManager.getConnection(
                PostgresDatabase.ADMIN_URL, PostgresDatabase.USER, PostgresDatabase.PASSWORD)) {
            return null;
        } catch (SQLException ex) {
            return "No PostgreSQL server at " + PostgresDatabase.ADMIN_URL + " (" + ex.getMessage()
                    + "); run .ci/run or set DISPATCH_TEST_POSTGRES_URL to run the suite on PostgreSQL";
        }
    }

    /** Creates a fresh database and returns its JDBC URL. */
    public static String createDatabase() {
        PostgresDatabase database = PostgresDatabase.create();
        CREATED.add(database);
        return database.url();
    }
}
