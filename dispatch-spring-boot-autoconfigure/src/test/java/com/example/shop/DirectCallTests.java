package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import dev.dispatch.engine.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

@SpringBootTest
class DirectCallTests {

    @Autowired
    Calculator calculator;

    @Autowired
    Ledger ledger;

    @Autowired
    Operations operations;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Scheduler scheduler;

    @Autowired
    Introspection introspection;

    @BeforeEach
    void reset() {
        this.ledger.reset();
    }

    @Test
    void aDirectCallFromOutsideBlocksUntilTheDurableRootFinishesAndReturnsItsResult() {
        assertThat(this.calculator.add(2, 3)).isEqualTo(5);
        assertThat(this.jdbc.queryForObject(
                        "SELECT status FROM dispatch_invocation WHERE function_name = 'calculator.add'"
                                + " AND arguments = '[2,3]'",
                        String.class))
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void logLinesOfAnAttemptCarryTheInvocationFunctionAndAttemptInTheMdc() {
        String[] context = this.operations.logContext().split(" ");

        assertThat(context[0]).as("invocation").isEqualTo(context[3]);
        assertThat(context[1]).isEqualTo("operations.logContext");
        assertThat(context[2]).isEqualTo("1");
        assertThat(org.slf4j.MDC.get("dispatch.invocation"))
                .as("restored after the attempt")
                .isNull();
    }

    @Test
    void aDirectCallWaitsThroughRetriesOfTheRoot() {
        this.ledger.failNext("divide:10/2", 2);
        assertThat(this.calculator.divide(10, 2)).isEqualTo(5);
        assertThat(this.ledger.runs("divide:10/2")).isEqualTo(3);
    }

    @Test
    void aDirectCallThrowsTheRootsFailure() {
        assertThatExceptionOfType(CallFailedException.class)
                .isThrownBy(() -> this.calculator.divide(1, 0))
                .satisfies(ex -> {
                    assertThat(ex.status()).isEqualTo(Status.INVALID_ARGUMENT);
                    assertThat(ex.function()).isEqualTo("calculator.divide");
                    assertThat(ex.getCause()).isInstanceOf(IllegalArgumentException.class);
                });
        assertThat(this.ledger.runs("divide:1/0"))
                .as("invalid arguments are not retried")
                .isEqualTo(1);
    }

    @Test
    void aChainOfAwaitedCallsRunsEachStepOnce() {
        assertThat(this.calculator.sumTo(20)).isEqualTo(210);
        for (int i = 1; i <= 20; i++) {
            int before = (i - 1) * i / 2;
            assertThat(this.ledger.runs("add:" + before + "+" + i)).isEqualTo(1);
        }
    }

    @Test
    void aParentCatchesTheFailureOfAnAwaitedChild() {
        assertThat(this.calculator.safeRatio(1, 0)).isEqualTo(-1);
        this.ledger.failNext("divide:9/3", 1);
        assertThat(this.calculator.safeRatio(9, 3))
                .as("a child retry suspends and resumes the parent")
                .isEqualTo(3);
    }

    @Test
    void eachStepOfAChainIsRecordedWithItsOutcomeAndItsDecidedStep() {
        assertThat(this.calculator.sumTo(5)).isEqualTo(15);
        String root = this.jdbc.queryForObject(
                "SELECT id FROM dispatch_invocation WHERE function_name = 'calculator.sumTo' AND arguments = '[5]'",
                String.class);
        List<Map<String, Object>> steps = this.jdbc.queryForList(
                "SELECT i.status, i.result, i.attempts, g.step_index, g.kind, g.completed_count, g.decided_at"
                        + " FROM dispatch_invocation i JOIN dispatch_call_group g ON g.id = i.group_id"
                        + " WHERE i.parent_id = ? ORDER BY g.step_index",
                root);
        assertThat(steps).hasSize(5);
        for (int i = 0; i < 5; i++) {
            Map<String, Object> step = steps.get(i);
            assertThat(value(step, "step_index")).isEqualTo(i);
            assertThat(value(step, "status")).isEqualTo("SUCCEEDED");
            assertThat(value(step, "result")).isEqualTo(String.valueOf((i + 1) * (i + 2) / 2));
            assertThat(value(step, "attempts")).isEqualTo(1);
            assertThat(value(step, "kind")).isEqualTo("CALL");
            assertThat(value(step, "completed_count")).isEqualTo(1);
            assertThat(value(step, "decided_at")).as("step %d decided", i).isNotNull();
        }
    }

    @Test
    void aQuickInlineCallIsRecordedWithItsOutcomeNotBeforeItRuns() {
        assertThat(this.introspection.ownRowsOfAnInlineCall())
                .as("rows of the inline call while it runs: written with its end, one commit for the step")
                .isZero();
        assertThat(this.jdbc.queryForList(
                        "SELECT c.status FROM dispatch_invocation c JOIN dispatch_invocation p ON p.id = c.parent_id"
                                + " WHERE p.function_name = 'introspection.ownRowsOfAnInlineCall'",
                        String.class))
                .as("and recorded with it")
                .containsExactly("SUCCEEDED");
    }

    @Test
    void anInlineCallThatRunsForLongShowsAsRunningWhileItRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Calculator.slowRelease = release;
        DispatchId root = this.dispatcher.dispatch(() -> this.calculator.slowSum(40, 2));
        String sql = "SELECT status FROM dispatch_invocation WHERE parent_id = ? AND function_name ="
                + " 'calculator.slowAdd'";
        try {
            List<String> rows = await("the inline call recorded")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> this.jdbc.queryForList(sql, String.class, root.value()), found -> !found.isEmpty());
            assertThat(rows)
                    .as("the running inline call, recorded while it runs")
                    .containsExactly("RUNNING");
        } finally {
            release.countDown();
        }
        InvocationInfo info = this.dispatcher.awaitCompletion(root, Duration.ofSeconds(20));
        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.jdbc.queryForObject(sql, String.class, root.value())).isEqualTo("SUCCEEDED");
        assertThat(this.ledger.runs("slowAdd:42+2")).isEqualTo(1);
    }

    @Test
    void aRootCancelledWhileItsInlineCallRunsLeavesNothingOfTheCallRunningOrPending() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Calculator.slowRelease = release;
        DispatchId root = this.dispatcher.dispatch(() -> this.calculator.slowSum(7, 1));
        try {
            await("the inline call started")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> this.ledger.runs("slowAdd:8+1") > 0);
            assertThat(this.ledger.runs("slowAdd:8+1"))
                    .as("the inline call started")
                    .isOne();
            // before the call has run for a second: its rows are not written yet
            assertThat(this.dispatcher.cancel(root)).isPositive();
        } finally {
            release.countDown();
        }

        InvocationInfo info = this.dispatcher.awaitCompletion(root, Duration.ofSeconds(20));
        assertThat(info.status()).isEqualTo(InvocationStatus.CANCELLED);
        // whatever the interrupted call's thread still writes, it has written once no worker runs anything
        await().atMost(Duration.ofSeconds(10)).until(() -> this.scheduler.busyWorkers() == 0);
        assertThat(this.jdbc.queryForList(
                        "SELECT function_name FROM dispatch_invocation WHERE root_id = ?"
                                + " AND status IN ('PENDING', 'RUNNING', 'SUSPENDED')",
                        String.class,
                        root.value()))
                .as("nothing of the cancelled tree left to run")
                .isEmpty();
        assertThat(this.jdbc.queryForList(
                        "SELECT status FROM dispatch_invocation WHERE root_id = ? AND function_name ="
                                + " 'calculator.slowAdd'",
                        String.class,
                        root.value()))
                .as("the inline call: not recorded, or recorded cancelled")
                .isSubsetOf("CANCELLED");
        assertThat(this.ledger.runs("slowAdd:8+1")).as("not run again").isOne();
    }

    private static Object value(Map<String, Object> row, String column) {
        Object value = row.containsKey(column) ? row.get(column) : row.get(column.toUpperCase(Locale.ROOT));
        return (value instanceof Number number) ? (Object) number.intValue() : value;
    }
}
