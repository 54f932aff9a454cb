package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.store.Retention;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Finished trees past their retention are purged whole; nothing of a tree that is still running. */
@SpringBootTest
class RetentionTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Fanout fanout;

    @Autowired
    Operations operations;

    @Autowired
    Ledger ledger;

    @Autowired
    Retention retention;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate tx;

    @Test
    void finishedTreesPastTheirRetentionArePurgedWholeAndRunningTreesNever() {
        DispatchId old = this.dispatcher.dispatch(() -> this.fanout.sumOfChildren(901, 3));
        DispatchId stillRunning = this.dispatcher.dispatch(() -> this.fanout.sumOfChildren(902, 2));
        this.ledger.failNext("import:old.csv", 1);
        DispatchId failed = this.dispatcher.dispatch(() -> this.operations.importFile("old.csv"));
        for (DispatchId id : new DispatchId[] {old, stillRunning, failed}) {
            this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));
        }
        Timestamp eightDaysAgo = Timestamp.from(Instant.now().minus(Duration.ofDays(8)));
        // finished eight days ago, so created before that
        this.jdbc.update("UPDATE dispatch_invocation SET created_at = ?, completed_at = ?", eightDaysAgo, eightDaysAgo);
        // one child of the second tree is running again (say, retried by an operator): its tree must stay
        String child = this.jdbc.queryForObject(
                "SELECT MIN(id) FROM dispatch_invocation WHERE root_id = ? AND parent_id IS NOT NULL",
                String.class,
                stillRunning.value());
        this.jdbc.update("UPDATE dispatch_invocation SET status = 'RUNNING' WHERE id = ?", child);

        // purges go in bounded batches (50 roots), and this context's store holds other tests' trees too
        int deleted = 0;
        for (int batch = purge(); batch > 0; batch = purge()) {
            deleted += batch;
        }

        assertThat(deleted).isGreaterThanOrEqualTo(4);
        assertThat(count("SELECT COUNT(*) FROM dispatch_invocation WHERE root_id = ?", old))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM dispatch_call_group WHERE parent_id = ?", old))
                .isZero();
        assertThat(count("SELECT COUNT(*) FROM dispatch_invocation WHERE root_id = ?", stillRunning))
                .isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM dispatch_invocation WHERE id = ?", failed))
                .as("failed trees are kept 30 days")
                .isEqualTo(1);
    }

    private int purge() {
        Integer deleted = this.tx.execute(status -> this.retention.purge(Instant.now()));
        return (deleted != null) ? deleted : 0;
    }

    private int count(String sql, DispatchId id) {
        Integer count = this.jdbc.queryForObject(sql, Integer.class, id.value());
        return count != null ? count : 0;
    }
}
