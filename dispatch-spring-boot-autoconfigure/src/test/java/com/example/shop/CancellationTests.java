package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class CancellationTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Operations operations;

    @Autowired
    Calculator calculator;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void reset() {
        this.ledger.reset();
    }

    @Test
    void aCancelledPendingCallNeverStarts() throws InterruptedException {
        DispatchId id = this.dispatcher.dispatch(
                () -> this.calculator.add(555, 1), DispatchOptions.delay(Duration.ofMillis(500)));

        assertThat(this.dispatcher.cancel(id)).isEqualTo(1);
        Thread.sleep(1000);

        assertThat(this.dispatcher.describe(id).orElseThrow().status()).isEqualTo(InvocationStatus.CANCELLED);
        assertThat(this.ledger.runs("add:555+1")).isZero();
        assertThat(this.dispatcher.cancel(id))
                .as("finished: nothing more to cancel")
                .isZero();
    }

    @Test
    void aGatherAwaitingACancelledCallSeesItFailWithStatusCancelled() throws InterruptedException {
        DispatchId parent = this.dispatcher.dispatch(() -> this.operations.waitForSlowChildren(2));
        String child = awaitRunningChild(parent);

        assertThat(this.dispatcher.cancel(DispatchId.of(child))).isEqualTo(1);
        InvocationInfo info = this.dispatcher.awaitCompletion(parent, Duration.ofSeconds(20));

        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.errorType()).isEqualTo(CallFailedException.class.getName());
        assertThat(info.errorMessage()).contains("failed with CANCELLED");
        this.dispatcher.cancel(parent);
    }

    private String awaitRunningChild(DispatchId parent) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            var running = this.jdbc.queryForList(
                    "SELECT id FROM dispatch_invocation WHERE parent_id = ? AND status = 'RUNNING'",
                    String.class,
                    parent.value());
            if (!running.isEmpty()) {
                return running.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no child of " + parent + " started");
    }
}
