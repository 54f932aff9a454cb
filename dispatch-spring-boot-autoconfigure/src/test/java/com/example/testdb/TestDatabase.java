package com.example.testdb;

import com.example.support.MariadbDatabase;
import com.example.support.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which database the engine test suite runs on: embedded H2 by default, PostgreSQL or MariaDB when the system property
 * {@code dispatch.test.database} is {@code postgresql} or {@code mariadb} (the build's second and third test runs set
 * it). There each Spring context gets a database of its own, created fresh and dropped when the JVM exits, so runs never
 * see each other's rows.
 */
public final class TestDatabase {

    private static final List<Runnable> DROPS = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> DROPS.forEach(Runnable::run), "drop-test-databases"));
    }

    private TestDatabase() {}

    /** Whether this test run is on PostgreSQL. */
    public static boolean isPostgres() {
        return "postgresql".equalsIgnoreCase(System.getProperty("dispatch.test.database"));
    }

    /** Whether this test run is on MariaDB. */
    public static boolean isMariadb() {
        return "mariadb".equalsIgnoreCase(System.getProperty("dispatch.test.database"));
    }

    /** Why the run's database cannot be used, or {@code null} if it answers. */
    public static String unavailableReason() {
        if (isMariadb()) {
            return MariadbDatabase.unavailableReason();
        }
        try (Connection connection = DriverManager.getConnection(
                PostgresDatabase.ADMIN_URL, PostgresDatabase.USER, PostgresDatabase.PASSWORD)) {
            return null;
        } catch (SQLException ex) {
            return "No PostgreSQL server at " + PostgresDatabase.ADMIN_URL + " (" + ex.getMessage()
                    + "); run .ci/run or set DISPATCH_TEST_POSTGRES_URL to run the suite on PostgreSQL";
        }
    }

    /** Creates a fresh database of the run's kind and returns its JDBC URL. */
    public static String createDatabase() {
        if (isMariadb()) {
            MariadbDatabase database = MariadbDatabase.create();
            DROPS.add(database::drop);
            return database.url();
        }
        PostgresDatabase database = PostgresDatabase.create();
        DROPS.add(database::drop);
        return database.url();
    }

    /** The user of the run's server. */
    public static String user() {
        return isMariadb() ? MariadbDatabase.USER : PostgresDatabase.USER;
    }

    /** The password of the run's server. */
    public static String password() {
        return isMariadb() ? MariadbDatabase.PASSWORD : PostgresDatabase.PASSWORD;
    }
}
