package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** await(id): a function waits durably for what was dispatched earlier; outside, a caller blocks for it. */
@SpringBootTest(classes = ShopApplication.class)
class AwaitTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Settling settling;

    @Test
    void aFunctionGetsTheResultOfACallThatFinishedBefore() {
        DispatchId check = this.dispatcher.dispatch(() -> this.settling.check(4));
        this.dispatcher.awaitCompletion(check, TIMEOUT);

        DispatchId report = this.dispatcher.dispatch(() -> this.settling.reportOn(check.value()));

        assertThat(this.dispatcher.awaitCompletion(report, TIMEOUT).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(report)).contains("got 40");
    }

    @Test
    void aFunctionWaitsSuspendedForACallThatIsStillToRun() {
        DispatchId check =
                this.dispatcher.dispatch(() -> this.settling.check(5), DispatchOptions.delay(Duration.ofSeconds(1)));
        DispatchId report = this.dispatcher.dispatch(() -> this.settling.reportOn(check.value()));

        assertThat(this.dispatcher.awaitCompletion(report, TIMEOUT).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(report)).contains("got 50");
        assertThat(this.dispatcher.describe(report).orElseThrow().attempts())
                .as("suspended and resumed, not retried")
                .isEqualTo(1);
    }

    @Test
    void aFunctionSeesTheFailureOfWhatItAwaits() {
        DispatchId check = this.dispatcher.dispatch(() -> this.settling.check(9));
        DispatchId report = this.dispatcher.dispatch(() -> this.settling.reportOn(check.value()));

        this.dispatcher.awaitCompletion(report, TIMEOUT);
        assertThat(this.dispatcher.<String>result(report)).contains("failed: multiple of three: 9");
    }

    @Test
    void fromOutsideAwaitBlocksForTheResultOrThrowsTheFailure() {
        DispatchId fine = this.dispatcher.dispatch(() -> this.settling.check(7));
        DispatchId broken = this.dispatcher.dispatch(() -> this.settling.check(6));

        assertThat(this.dispatcher.<Integer>await(fine)).isEqualTo(70);
        assertThatThrownBy(() -> this.dispatcher.await(broken))
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("settling.check");
        assertThatThrownBy(() -> this.dispatcher.await(DispatchId.of("00000000-0000-7000-8000-000000000000")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void awaitingAnInvocationThatDoesNotExistFailsTheFunctionClearly() {
        DispatchId report =
                this.dispatcher.dispatch(() -> this.settling.reportOn("00000000-0000-7000-8000-00000000beef"));

        assertThat(this.dispatcher.awaitCompletion(report, TIMEOUT).errorMessage())
                .contains("settling.reportOn awaits 00000000-0000-7000-8000-00000000beef, but there is no such");
    }
}
