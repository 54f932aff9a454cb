package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import java.time.Instant;
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
 * The race behind "no lost wake-up": a parent suspending on its step while the step's last child completes. Run many
 * times with both sides released at once; in every run the parent must either see the step decided (and not suspend)
 * or be woken by the child.
 */
@SpringBootTest(classes = ShopApplication.class, properties = "dispatch.enabled=true")
class SuspendWakeRaceTests {

    private static final int RUNS = 400;

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
    void aParentSuspendingWhileItsLastChildCompletesIsNeverLeftAsleep() throws Exception {
        TransactionTemplate tx = new TransactionTemplate(this.transactionManager);
        for (int run = 0; run < RUNS; run++) {
            RacingStep rows = RacingStep.create(this.store, tx);
            String parentId = rows.parentId();
            String groupId = rows.groupId();
            String childId = rows.childId();
            ClaimedInvocation child = rows.child();
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<InvocationStore.SuspendOutcome> suspending = CompletableFuture.supplyAsync(
                    () -> {
                        await(start);
                        return tx.execute(status -> this.store.suspend(parentId, 0, groupId, Instant.now()));
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

            InvocationStore.SuspendOutcome suspended = suspending.get();
            InvocationStore.Outcome completed = completing.get();
            String parentStatus = this.store.findStatus(parentId).orElseThrow();

            if (suspended == InvocationStore.SuspendOutcome.SUSPENDED) {
                assertThat(parentStatus)
                        .as("run %d: suspended parent must be woken", run)
                        .isEqualTo("PENDING");
                assertThat(completed.wokenParentId()).isEqualTo(parentId);
            } else {
                assertThat(suspended).as("run %d", run).isEqualTo(InvocationStore.SuspendOutcome.DECIDED);
                assertThat(parentStatus)
                        .as("run %d: parent goes on running", run)
                        .isEqualTo("RUNNING");
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
