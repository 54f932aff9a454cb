package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.NonDeterminismException;
import dev.dispatch.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class DeterminismTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Replays replays;

    @Test
    void aReplayThatMakesOtherDurableCallsFailsWithoutRetrying() {
        DispatchId id = this.dispatcher.dispatch(() -> this.replays.nonDeterministic());

        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));

        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.attempts()).as("no retry loop").isEqualTo(2);
        assertThat(info.errorStatus()).isEqualTo(Status.PERMANENT_ERROR);
        assertThat(info.errorType()).isEqualTo(NonDeterminismException.class.getName());
        assertThat(info.errorMessage())
                .startsWith("Non-deterministic replay of replays.nonDeterministic at step 0: the record holds the call"
                        + " calculator.add(arguments sha256:")
                .contains("but this run made the call calculator.add(arguments sha256:")
                .as("argument values are not quoted")
                .doesNotContain("(1,0)")
                .doesNotContain("(2,0)");
    }

    @Test
    void aReplayThatSignalsWhereTheRecordHoldsACallFails() {
        DispatchId id = this.dispatcher.dispatch(() -> this.replays.signalsWhereItCalled());

        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));

        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.attempts()).as("no retry loop").isEqualTo(2);
        assertThat(info.errorType()).isEqualTo(NonDeterminismException.class.getName());
        assertThat(info.errorMessage())
                .startsWith(
                        "Non-deterministic replay of replays.signalsWhereItCalled at step 0: the record holds a call"
                                + " step but this run made a signal to 'replays:signalled'");
    }

    @Test
    void aReplayWhoseStepHasNoCallsWhereTheRecordHoldsSomeFails() {
        DispatchId id = this.dispatcher.dispatch(() -> this.replays.gathersNoneWhereItGatheredOne());

        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));

        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.errorType()).isEqualTo(NonDeterminismException.class.getName());
        assertThat(info.errorMessage())
                .startsWith("Non-deterministic replay of replays.gathersNoneWhereItGatheredOne at step 0: the record"
                        + " holds a gather of 1 call")
                .contains("but this run made a gather of 0 calls");
    }
}
