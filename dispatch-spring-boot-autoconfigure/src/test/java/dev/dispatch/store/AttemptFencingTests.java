package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.shop.ShopApplication;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Every write an attempt makes is fenced by its claim: a later claim of the same call makes the earlier one stale. */
@SpringBootTest(classes = ShopApplication.class, properties = "dispatch.enabled=true")
class AttemptFencingTests {

    @Autowired
    InvocationStore store;

    @Autowired
    Claims claims;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aLateEndOfAnAttemptIsDiscardedWhileTheNextAttemptOfTheSameNodeRuns() {
        TransactionTemplate tx = new TransactionTemplate(this.transactionManager);
        String id = pending(tx);
        // an hour ahead of the real clock: this node's housekeeping never finds these leases expired meanwhile
        Instant t0 = Instant.now().plusSeconds(3600);
        ClaimedInvocation first = tx.execute(status -> this.claims.claim(List.of(id), "node-a", t0, t0.plusSeconds(1)))
                .get(0);
        Boolean started = tx.execute(status -> this.claims.start(first, t0));
        assertThat(started).isTrue();
        // node-a's heartbeat stalls: its own housekeeping finds the lease expired and retries the call
        Instant t1 = t0.plusSeconds(2);
        Boolean taken = tx.execute(status -> this.claims.takeOverExpired(first, "node-a", t1, t1.plusSeconds(30)));
        assertThat(taken).isTrue();
        ErrorRecord expired = new ErrorRecord("LeaseExpired", "lost", "TEMPORARY_ERROR", "");
        assertThat(tx.execute(status -> this.store.record(
                                new Transition(
                                        first.withEpoch(first.epoch() + 1),
                                        "node-a",
                                        Transition.Kind.RETRY,
                                        null,
                                        expired,
                                        t1),
                                t1))
                        .written())
                .isTrue();
        Instant t2 = t1.plusSeconds(1);
        ClaimedInvocation second = tx.execute(
                        status -> this.claims.claim(List.of(id), "node-a", t2, t2.plusSeconds(30)))
                .get(0);
        assertThat(second.attempt()).isEqualTo(2);

        // attempt 1 was still running after all, and ends now
        InvocationStore.Outcome late = tx.execute(status -> this.store.record(
                new Transition(first, "node-a", Transition.Kind.SUCCEEDED, "\"late\"", null, null), t2));

        assertThat(late.written())
                .as("attempt 1's end written while attempt 2 runs")
                .isFalse();
        assertThat(this.jdbc.queryForObject("SELECT status FROM dispatch_invocation WHERE id = ?", String.class, id))
                .isEqualTo("RUNNING");
        InvocationStore.Outcome current = tx.execute(status -> this.store.record(
                new Transition(second, "node-a", Transition.Kind.SUCCEEDED, "\"current\"", null, null), t2));
        assertThat(current.written()).isTrue();
        assertThat(this.jdbc.queryForObject("SELECT result FROM dispatch_invocation WHERE id = ?", String.class, id))
                .isEqualTo("\"current\"");
    }

    @Test
    void aCallClaimedAheadWhoseNodeDiesBeforeItStartsUsesNoAttempt() throws InterruptedException {
        TransactionTemplate tx = new TransactionTemplate(this.transactionManager);
        Instant t0 = Instant.now().minusSeconds(3600);
        String id = pending(tx, 1, t0.minusSeconds(1));
        // claimed ahead by node-a, which dies before a worker starts it: its lease has long expired
        tx.execute(status -> this.claims.claim(List.of(id), "node-a", t0, t0.plusSeconds(30)));

        // this node's housekeeping takes the expired lease over
        await("the expired lease taken over")
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> !"RUNNING".equals(status(id)));

        assertThat(status(id)).as("a call with one attempt that never started").isEqualTo("PENDING");
        assertThat(this.jdbc.queryForObject("SELECT attempts FROM dispatch_invocation WHERE id = ?", Integer.class, id))
                .isZero();
    }

    private String status(String id) {
        return this.jdbc.queryForObject("SELECT status FROM dispatch_invocation WHERE id = ?", String.class, id);
    }

    private String pending(TransactionTemplate tx) {
        return pending(tx, 3, Instant.now().minusSeconds(1));
    }

    private String pending(TransactionTemplate tx, int maxAttempts, Instant now) {
        String id = UUID.randomUUID().toString();
        tx.executeWithoutResult(status -> this.store.insertInvocations(
                List.of(new NewInvocation(
                        id,
                        "test.fenced",
                        "[]",
                        maxAttempts,
                        now,
                        null,
                        null,
                        null,
                        id,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)),
                now));
        return id;
    }
}
