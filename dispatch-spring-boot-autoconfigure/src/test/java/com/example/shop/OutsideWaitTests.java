package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.dispatch.Dispatcher;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A gather from outside any durable function waits by counting how many of its calls finished, and reads what they
 * returned once, when the step is decided: it never reads every result on every poll. H2's query statistics count
 * the statements the database ran.
 */
@SpringBootTest
class OutsideWaitTests {

    private static final List<String> KEYS = List.of("outside-1", "outside-2", "outside-3");

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Guarded guarded;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aGatherFromOutsidePollsCountsAndReadsTheResultsOnce() throws Exception {
        // the waiting is the same on every database; H2 is the one that counts statements without an extension
        assumeThat(this.jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName()))
                .isEqualTo("H2");
        this.jdbc.execute("SET QUERY_STATISTICS_MAX_ENTRIES 10000");
        this.jdbc.execute("SET QUERY_STATISTICS TRUE");
        CompletableFuture<List<String>> gathered =
                CompletableFuture.supplyAsync(() -> this.dispatcher.gather(KEYS, this.guarded::gated));
        for (String key : KEYS) {
            assertThat(this.guarded.gate(key).arrived.await(30, TimeUnit.SECONDS))
                    .as(key + " started")
                    .isTrue();
        }
        // every call is running: the caller polls until they finish; let it poll at least five times
        await("five polls").atMost(java.time.Duration.ofSeconds(30)).until(() -> executions(true) >= 5);
        int polls = executions(true);
        KEYS.forEach(key -> this.guarded.gate(key).open.countDown());

        assertThat(gathered.get(30, TimeUnit.SECONDS))
                .containsExactly("passed outside-1", "passed outside-2", "passed outside-3");
        assertThat(polls).as("polls of the counts while the calls ran").isGreaterThanOrEqualTo(5);
        assertThat(executions(false)).as("reads of the results").isEqualTo(1);
        this.jdbc.execute("SET QUERY_STATISTICS FALSE");
    }

    /** How often the database ran the statement that counts statuses, or the one that reads the outcomes, of 3 ids. */
    private int executions(boolean counts) {
        return this.jdbc
                .query("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS", (rs, n) ->
                        new Object[] {rs.getString(1).toLowerCase(Locale.ROOT), rs.getInt(2)})
                .stream()
                .filter(row -> {
                    String sql = (String) row[0];
                    boolean ofThree = sql.replace(" ", "").contains("in(?,?,?)") && sql.contains("dispatch_invocation");
                    return ofThree && (counts ? sql.contains("count(") : sql.contains("result"));
                })
                .mapToInt(row -> (Integer) row[1])
                .sum();
    }
}
