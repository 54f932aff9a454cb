package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        // due after it: once this one has run, the cancelled call's time has come and gone
        DispatchId later = this.dispatcher.dispatch(
                () -> this.calculator.add(556, 1), DispatchOptions.delay(Duration.ofMillis(600)));
        this.dispatcher.awaitCompletion(later, Duration.ofSeconds(20));

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

    private String awaitRunningChild(DispatchId parent) {
        return await("a running child of " + parent)
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> this.jdbc.queryForList(
                                "SELECT id FROM dispatch_invocation WHERE parent_id = ? AND status = 'RUNNING'",
                                String.class,
                                parent.value()),
                        running -> !running.isEmpty())
                .get(0);
    }
}
