package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.shop.Approvals.Approval;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.store.Retention;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * signal and awaitSignal: each signal goes to one wait, the oldest first, whether it was sent before or after the wait;
 * a signal whose transaction rolls back is never delivered; the time-out answers empty; a replay answers from the
 * record.
 */
@SpringBootTest(classes = ShopApplication.class)
class SignalTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final long LONG_WAIT = Duration.ofMinutes(5).toMillis();

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Approvals approvals;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    Retention retention;

    @Test
    void aSignalSentBeforeTheWaitIsKeptUntilAWaitTakesIt() {
        String key = key();
        this.dispatcher.signal(key, new Approval("ada", true));

        DispatchId decision = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));

        assertThat(finished(decision).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(decision)).contains("ada approved " + key);
        assertThat(untaken(key)).isZero();
    }

    @Test
    void aSignalSentAfterTheWaitResumesTheWaitingFunction() {
        String key = key();
        DispatchId decision = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));
        awaitWaits(key, 1);

        this.dispatcher.signal(key, new Approval("bo", false));

        InvocationInfo info = finished(decision);
        assertThat(this.dispatcher.<String>result(decision)).contains("bo rejected " + key);
        assertThat(info.attempts()).as("resumed, not retried").isEqualTo(1);
    }

    @Test
    void aSignalSentInATransactionReachesTheWaitOnceItCommits() {
        String key = key();
        DispatchId decision = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));
        awaitWaits(key, 1);

        this.tx.executeWithoutResult(status -> {
            this.dispatcher.signal(key, new Approval("ida", true));
            assertThat(this.jdbc.queryForObject(
                            "SELECT COUNT(*) FROM dispatch_signal_wait WHERE signal_key = ? AND ended_at IS NULL",
                            Integer.class,
                            key))
                    .as("the wait is still open before the commit")
                    .isEqualTo(1);
        });

        assertThat(finished(decision).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(decision)).contains("ida approved " + key);
    }

    @Test
    void twoWaitsAndTwoSignalsAreEachDeliveredOnceTheOldestWaitFirst() {
        String key = key();
        DispatchId first = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));
        awaitWaits(key, 1);
        DispatchId second = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));
        awaitWaits(key, 2);

        this.dispatcher.signal(key, new Approval("ada", true));
        this.dispatcher.signal(key, new Approval("bo", true));

        assertThat(finished(first).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(finished(second).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(first)).contains("ada approved " + key);
        assertThat(this.dispatcher.<String>result(second)).contains("bo approved " + key);
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(DISTINCT taken_by) FROM dispatch_signal WHERE signal_key = ?",
                        Integer.class,
                        key))
                .isEqualTo(2);
    }

    @Test
    void signalsSentConcurrentlyToManyWaitsAreEachDeliveredToExactlyOne() throws Exception {
        for (int round = 0; round < 3; round++) {
            String key = key();
            int count = 8;
            List<DispatchId> waits = new ArrayList<>();
            // half the signals before the waits, half after, from four threads at once
            ExecutorService senders = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < count / 2; i++) {
                    String approver = "early-" + i;
                    sent.add(senders.submit(() -> this.dispatcher.signal(key, new Approval(approver, true))));
                }
                for (int i = 0; i < count; i++) {
                    waits.add(this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT)));
                }
                for (int i = 0; i < count / 2; i++) {
                    String approver = "late-" + i;
                    sent.add(senders.submit(() -> this.dispatcher.signal(key, new Approval(approver, true))));
                }
                for (Future<?> future : sent) {
                    future.get();
                }
            } finally {
                senders.shutdown();
            }
            List<String> approvers = new ArrayList<>();
            for (DispatchId wait : waits) {
                assertThat(finished(wait).status()).isEqualTo(InvocationStatus.SUCCEEDED);
                approvers.add(this.dispatcher.<String>result(wait).orElseThrow().split(" ")[0]);
            }
            assertThat(approvers).doesNotHaveDuplicates().hasSize(count);
            assertThat(untaken(key)).isZero();
        }
    }

    @Test
    void aSignalWhoseTransactionRollsBackIsNeverDelivered() {
        String key = key();
        this.tx.executeWithoutResult(status -> {
            this.dispatcher.signal(key, new Approval("ghost", true));
            status.setRollbackOnly();
        });

        // the wait's time-out is the engine's durable timer: the function resumes at it with no answer
        DispatchId lonely = this.dispatcher.dispatch(() -> this.approvals.decide(key, 300));
        assertThat(finished(lonely).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(lonely)).contains("no answer for " + key);
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_signal WHERE signal_key = ?", Integer.class, key))
                .isZero();

        this.tx.executeWithoutResult(status -> this.dispatcher.signal(key, new Approval("cy", true)));
        DispatchId answered = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));
        finished(answered);
        assertThat(this.dispatcher.<String>result(answered)).contains("cy approved " + key);
    }

    @Test
    void aWaitThatTimesOutAnswersEmptyAndLeavesLaterSignalsForTheNextWait() {
        String key = key();
        DispatchId timedOut = this.dispatcher.dispatch(() -> this.approvals.decide(key, 200));
        assertThat(finished(timedOut).attempts())
                .as("resumed at its time-out, not retried")
                .isEqualTo(1);
        assertThat(this.dispatcher.<String>result(timedOut)).contains("no answer for " + key);

        this.dispatcher.signal(key, new Approval("dee", true));
        assertThat(untaken(key)).as("kept for a wait to come").isEqualTo(1);
        DispatchId next = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));
        finished(next);
        assertThat(this.dispatcher.<String>result(next)).contains("dee approved " + key);
    }

    @Test
    void aSignalWithoutPayloadIsTakenAndItsWaitAnswersEmptyAsATimeOutDoes() {
        String key = key();
        this.dispatcher.signal(key, null);

        DispatchId decision = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));

        assertThat(finished(decision).attempts())
                .as("answered at once, not at its time-out")
                .isEqualTo(1);
        assertThat(this.dispatcher.<String>result(decision)).contains("no answer for " + key);
        assertThat(untaken(key)).as("taken by the wait").isZero();
    }

    @Test
    void aRetryReplaysTheWaitFromTheRecordWithoutTakingAnotherSignal() {
        String key = key();
        this.dispatcher.signal(key, new Approval("eve", true));
        DispatchId filing = this.dispatcher.dispatch(() -> this.approvals.decideAndFile(key));
        this.dispatcher.signal(key, new Approval("fay", true));

        InvocationInfo info = finished(filing);

        assertThat(info.attempts()).isEqualTo(2);
        assertThat(this.dispatcher.<String>result(filing)).contains("filed eve");
        assertThat(untaken(key)).as("fay's signal waits for another wait").isEqualTo(1);
    }

    @Test
    void retentionPurgesAPurgedTreesWaitsAndTheSignalsTheyTookButKeepsSignalsNotTaken() {
        String key = key();
        this.dispatcher.signal(key, new Approval("gus", true));
        DispatchId decision = this.dispatcher.dispatch(() -> this.approvals.decide(key, LONG_WAIT));
        finished(decision);
        this.dispatcher.signal(key, new Approval("hal", true));
        this.jdbc.update(
                "UPDATE dispatch_invocation SET created_at = ?, completed_at = ? WHERE root_id = ?",
                Timestamp.from(Instant.now().minus(Duration.ofDays(8))),
                Timestamp.from(Instant.now().minus(Duration.ofDays(8))),
                decision.value());

        for (int purged = purge(); purged > 0; purged = purge()) {
            // batch after batch: the store holds other tests' trees too
        }

        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_signal_wait WHERE signal_key = ?", Integer.class, key))
                .isZero();
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_signal WHERE signal_key = ?", Integer.class, key))
                .as("hal's signal, not taken, stays for a wait")
                .isEqualTo(1);
    }

    @Test
    void awaitSignalOutsideADurableFunctionIsRefusedByName() {
        assertThatThrownBy(() -> this.dispatcher.awaitSignal(key(), String.class, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dispatcher.awaitSignal(...)")
                .hasMessageContaining("@DispatchFunction");
        assertThatThrownBy(() -> this.dispatcher.signal(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private int purge() {
        Integer deleted = this.tx.execute(status -> this.retention.purge(Instant.now()));
        return (deleted != null) ? deleted : 0;
    }

    private InvocationInfo finished(DispatchId id) {
        return this.dispatcher.awaitCompletion(id, TIMEOUT);
    }

    private void awaitWaits(String key, int count) {
        await().atMost(TIMEOUT)
                .until(
                        () -> this.jdbc.queryForObject(
                                "SELECT COUNT(*) FROM dispatch_signal_wait WHERE signal_key = ?", Integer.class, key),
                        n -> n == count);
    }

    private int untaken(String key) {
        return this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM dispatch_signal WHERE signal_key = ? AND taken_by IS NULL", Integer.class, key);
    }

    private static String key() {
        return "approval-" + UUID.randomUUID();
    }
}
