package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.support.MariadbDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The database is detected once at startup, waiting for it while it does not answer yet. */
class DatabaseTypeTests {

    @Test
    void anH2DatabaseIsDetectedAsH2() {
        assertThat(DatabaseType.detect(h2())).isEqualTo(DatabaseType.H2);
    }

    @Test
    void aMariadbDatabaseIsDetectedAsMysql() {
        MariadbDatabase database = MariadbDatabase.create();
        try {
            DataSource dataSource = new SimpleDriverDataSource(
                    new org.mariadb.jdbc.Driver(), database.url(), MariadbDatabase.USER, MariadbDatabase.PASSWORD);
            assertThat(DatabaseType.detect(dataSource)).isEqualTo(DatabaseType.MYSQL);
            assertThat(DatabaseType.MYSQL.vendor()).isEqualTo("mysql");
        } finally {
            database.drop();
        }
    }

    @Test
    void detectionWaitsForADatabaseThatDoesNotAnswerYet() throws Exception {
        AtomicBoolean up = new AtomicBoolean();
        AtomicInteger refused = new AtomicInteger();
        DataSource starting = new DelegatingDataSource(h2()) {
            @Override
            public Connection getConnection() throws SQLException {
                if (!up.get()) {
                    refused.incrementAndGet();
                    throw new SQLException("Connection refused (the database is starting)", "08001");
                }
                return super.getConnection();
            }
        };
        CompletableFuture<DatabaseType> detected = CompletableFuture.supplyAsync(() -> DatabaseType.detect(starting));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (refused.get() < 2) {
            assertThat(System.nanoTime() - deadline)
                    .as("two refused attempts within 20 s")
                    .isNegative();
            Thread.onSpinWait();
        }
        assertThat(detected)
                .as("detected while the database refuses connections")
                .isNotDone();
        up.set(true);
        assertThat(detected.get(20, TimeUnit.SECONDS)).isEqualTo(DatabaseType.H2);
    }

    private static DataSource h2() {
        return new SimpleDriverDataSource(
                new org.h2.Driver(), "jdbc:h2:mem:detect-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }
}
