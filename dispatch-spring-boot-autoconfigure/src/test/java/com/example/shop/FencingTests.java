package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** A function that runs on after it was cancelled records nothing more: its writes are fenced by its attempt. */
@SpringBootTest
class FencingTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Guarded guarded;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void reset() {
        this.ledger.reset();
    }

    @Test
    void aCancelledParentThatRunsOnRecordsNoBatch() throws Exception {
        DispatchId id = this.dispatcher.dispatch(() -> this.guarded.batchAfterGate("batch"));
        Guarded.Gate gate = this.guarded.gate("batch");
        assertThat(gate.arrived.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(this.dispatcher.cancel(id)).isEqualTo(1);
        gate.open.countDown();
        awaitLedger("after:batch");

        assertThat(children(id)).as("calls recorded by a cancelled parent").isZero();
        assertThat(steps(id)).as("steps recorded by a cancelled parent").isZero();
        assertThat(status(id)).isEqualTo("CANCELLED");
    }

    @Test
    void aCancelledParentThatRunsOnRecordsNoSleep() throws Exception {
        DispatchId id = this.dispatcher.dispatch(() -> this.guarded.sleepAfterGate("sleep"));
        Guarded.Gate gate = this.guarded.gate("sleep");
        assertThat(gate.arrived.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(this.dispatcher.cancel(id)).isEqualTo(1);
        gate.open.countDown();
        awaitLedger("after:sleep");

        assertThat(steps(id)).as("sleeps recorded by a cancelled parent").isZero();
        assertThat(status(id)).isEqualTo("CANCELLED");
    }

    @Test
    void aKeyedDispatchReplaysAfterRetentionPurgedTheKeyedCall() throws Exception {
        DispatchId parent = this.dispatcher.dispatch(() -> this.guarded.keyedThenGated("purged"));
        Guarded.Gate gate = this.guarded.gate("purged");
        assertThat(gate.arrived.await(20, TimeUnit.SECONDS)).isTrue();
        String keyed = this.jdbc.queryForObject(
                "SELECT id FROM dispatch_invocation WHERE idempotency_key = 'keyed:purged'", String.class);
        assertThat(this.dispatcher
                        .awaitCompletion(DispatchId.of(keyed), Duration.ofSeconds(20))
                        .status())
                .isEqualTo(dev.dispatch.InvocationStatus.SUCCEEDED);
        // retention purges the finished keyed call (a tree of its own) while the parent waits
        this.jdbc.update("DELETE FROM dispatch_invocation WHERE id = ?", keyed);

        gate.open.countDown();

        assertThat(this.dispatcher
                        .awaitCompletion(parent, Duration.ofSeconds(20))
                        .status())
                .isEqualTo(dev.dispatch.InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(parent)).contains(keyed + " [passed purged]");
    }

    private void awaitLedger(String key) {
        await("waiting for " + key).atMost(Duration.ofSeconds(20)).until(() -> this.ledger.successes(key) > 0);
    }

    private int children(DispatchId id) {
        return this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_invocation WHERE parent_id = ?", Integer.class, id.value());
    }

    private int steps(DispatchId id) {
        return this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_call_group WHERE parent_id = ?", Integer.class, id.value());
    }

    private String status(DispatchId id) {
        return this.jdbc.queryForObject(
                "SELECT status FROM dispatch_invocation WHERE id = ?", String.class, id.value());
    }
}
