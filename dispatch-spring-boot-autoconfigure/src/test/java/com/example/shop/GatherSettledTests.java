package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Settled;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** gatherSettled keeps every outcome, in argument order, inside a function and from outside. */
@SpringBootTest(classes = ShopApplication.class)
class GatherSettledTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Settling settling;

    @Test
    void aParentGetsEveryOutcomeInOrderAndSucceedsWhateverItsChildrenDid() {
        DispatchId id = this.dispatcher.dispatch(() -> this.settling.report(7));

        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));

        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(id)).contains("10,20,!3,40,50,!6,70");
    }

    @Test
    void fromOutsideTheFailuresComeAsValuesNotThrown() {
        List<Supplier<Integer>> calls =
                List.of(() -> this.settling.check(1), () -> this.settling.check(3), () -> this.settling.check(4));

        List<Settled<Integer>> outcomes = this.dispatcher.gatherSettled(calls);

        assertThat(outcomes).extracting(Settled::succeeded).containsExactly(true, false, true);
        assertThat(outcomes.get(0).value()).isEqualTo(10);
        assertThat(outcomes.get(2).value()).isEqualTo(40);
        Settled<Integer> failed = outcomes.get(1);
        CallFailedException failure = failed.failure().orElseThrow();
        assertThat(failure.function()).isEqualTo("settling.check");
        assertThat(failure.errorMessage()).isEqualTo("multiple of three: 3");
        assertThat(failure.id()).isEqualTo(failed.id());
        assertThat(this.dispatcher.describe(failed.id()).orElseThrow().status()).isEqualTo(InvocationStatus.FAILED);
        assertThatThrownBy(failed::value)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("settling.check")
                .hasCause(failure);
        assertThat(outcomes.get(0).failure()).isEmpty();
    }

    @Test
    void noCallsSettleAtOnce() {
        assertThat(this.dispatcher.<Integer>gatherSettled(List.of())).isEmpty();
    }
}
