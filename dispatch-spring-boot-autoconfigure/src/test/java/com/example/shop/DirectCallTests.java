package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.dispatch.CallFailedException;
import dev.dispatch.Status;
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
}
