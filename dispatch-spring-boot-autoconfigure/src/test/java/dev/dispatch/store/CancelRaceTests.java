package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A call that ends while an operator cancels it is counted once in its caller's step: as its end if the end commits
 * first (the cancel then finds it finished and ends nothing), as cancelled otherwise. Run many times with both sides
 * released at once. The cancel once took the calls it found open to be the ones it ended, and counted a call that
 * SUCCEEDED meanwhile as a failure in its step too (found by the long simulation run, seed 183f7babe3e72106).
 */
@SpringBootTest(classes = ShopApplication.class, properties = "dispatch.enabled=true")
class CancelRaceTests {

    private static final int RUNS = 300;

    @Autowired
    InvocationStore store;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcTemplate jdbc;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        this.threads.shutdownNow();
    }

    @Test
    void aCallThatEndsWhileItIsCancelledIsCountedOnceInItsStep() throws Exception {
        TransactionTemplate tx = new TransactionTemplate(this.transactionManager);
        for (int run = 0; run < RUNS; run++) {
            RacingStep rows = RacingStep.create(this.store, tx);
            String parentId = rows.parentId();
            String groupId = rows.groupId();
            String childId = rows.childId();
            ClaimedInvocation child = rows.child();
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<InvocationStore.Cancellation> cancelling = CompletableFuture.supplyAsync(
                    () -> {
                        await(start);
                        return tx.execute(status -> this.store.trees().cancelTree(childId, Instant.now()));
                    },
                    this.threads);
            CompletableFuture<InvocationStore.Outcome> completing = CompletableFuture.supplyAsync(
                    () -> {
                        await(start);
                        return tx.execute(status -> this.store.record(
                                new Transition(child, "node-b", Transition.Kind.SUCCEEDED, "1", null, null),
                                Instant.now()));
                    },
                    this.threads);

            InvocationStore.Cancellation cancelled = cancelling.get();
            InvocationStore.Outcome completed = completing.get();
            String childStatus = this.store.findStatus(childId).orElseThrow();
            Map<String, Object> step = this.jdbc.queryForMap(
                    "SELECT completed_count, failed_count, first_failure_id FROM dispatch_call_group WHERE id = ?",
                    groupId);
            int succeeded = ((Number) step.get("completed_count")).intValue();
            int failed = ((Number) step.get("failed_count")).intValue();

            if (childStatus.equals("SUCCEEDED")) {
                assertThat(completed.written()).as("run %d: the end won", run).isTrue();
                assertThat(cancelled.cancelled())
                        .as("run %d: nothing left to cancel", run)
                        .isEmpty();
                assertThat(List.of(succeeded, failed))
                        .as("run %d: counted as its end", run)
                        .isEqualTo(List.of(1, 0));
            } else {
                assertThat(childStatus).as("run %d", run).isEqualTo("CANCELLED");
                assertThat(completed.written())
                        .as("run %d: the end is fenced", run)
                        .isFalse();
                assertThat(cancelled.cancelled()).as("run %d", run).containsExactly(childId);
                assertThat(List.of(succeeded, failed))
                        .as("run %d: counted as cancelled", run)
                        .isEqualTo(List.of(0, 1));
                assertThat(step.get("first_failure_id")).isEqualTo(childId);
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
