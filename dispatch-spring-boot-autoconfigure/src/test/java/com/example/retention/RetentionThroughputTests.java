package com.example.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import dev.dispatch.store.DatabaseType;
import dev.dispatch.store.JdbcStores;
import dev.dispatch.store.Retention;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention keeps up with an application that starts many roots: 100,000 finished roots (about one a second for a
 * day) are purged in one round, batch after batch, on H2; the round says whether it caught up. The time it took is
 * printed, not asserted (a loaded machine must not fail the suite). The application's own retention is set far off,
 * so that its scheduler's purges do not race this test's.
 */
@SpringBootTest(classes = ShopApplication.class, properties = "dispatch.retention.succeeded=3650d")
class RetentionThroughputTests {

    private static final int ROOTS = 100_000;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate tx;

    @Test
    void aHundredThousandFinishedRootsArePurgedInOneRound() {
        Timestamp eightDaysAgo = Timestamp.from(Instant.now().minus(Duration.ofDays(8)));
        Timestamp yesterday = Timestamp.from(Instant.now().minus(Duration.ofDays(1)));
        insertFinishedRoots(ROOTS, eightDaysAgo, "retention.old");
        insertFinishedRoots(10, yesterday, "retention.recent");
        Retention retention = JdbcStores.retention(
                this.jdbc,
                DatabaseType.detect(this.jdbc.getDataSource()),
                Duration.ofDays(7),
                Duration.ofDays(30),
                Retention.DEFAULT_BATCH_SIZE);

        long started = System.nanoTime();
        Retention.Purged purged = retention.purgeDue(Instant.now(), Duration.ofMinutes(10), this.tx);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("purged %,d trees in %.1f s%n", purged.trees(), took.toMillis() / 1000.0);

        assertThat(purged.caughtUp()).isTrue();
        assertThat(purged.trees()).isEqualTo(ROOTS);
        assertThat(count("retention.old")).isZero();
        assertThat(count("retention.recent")).as("not due yet").isEqualTo(10);
    }

    @Test
    void aRoundThatSpendsItsBudgetSaysMoreIsDue() {
        insertFinishedRoots(3_000, Timestamp.from(Instant.now().minus(Duration.ofDays(9))), "retention.budget");
        Retention retention = JdbcStores.retention(
                this.jdbc,
                DatabaseType.detect(this.jdbc.getDataSource()),
                Duration.ofDays(7),
                Duration.ofDays(30),
                100);

        Retention.Purged purged = retention.purgeDue(Instant.now(), Duration.ZERO, this.tx);

        assertThat(purged.caughtUp()).isFalse();
        assertThat(purged.trees()).isEqualTo(100);
        assertThat(count("retention.budget")).isEqualTo(2_900);
        retention.purgeDue(Instant.now(), Duration.ofMinutes(1), this.tx);
        assertThat(count("retention.budget")).isZero();
    }

    private void insertFinishedRoots(int roots, Timestamp finished, String function) {
        List<Object[]> rows = new ArrayList<>(roots);
        for (int i = 0; i < roots; i++) {
            String id = UUID.randomUUID().toString();
            rows.add(new Object[] {id, function, id, finished, finished, finished, finished});
        }
        for (int from = 0; from < rows.size(); from += 10_000) {
            this.jdbc.batchUpdate(
                    """
                    INSERT INTO dispatch_invocation (id, function_name, arguments, status, result, attempts,
                        max_attempts, next_attempt_at, root_id, created_at, updated_at, completed_at, version)
                    VALUES (?, ?, '[]', 'SUCCEEDED', 'null', 1, 5, ?, ?, ?, ?, ?, 0)""",
                    rows.subList(from, Math.min(rows.size(), from + 10_000)).stream()
                            .map(r -> new Object[] {r[0], r[1], r[3], r[2], r[4], r[5], r[6]})
                            .toList());
        }
    }

    private int count(String function) {
        return this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = ?", Integer.class, function);
    }
}
