package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** An operator's retry resumes a parent from its journal, and a retried child re-opens its step faithfully. */
@SpringBootTest
class OperatorRetryTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Retried retried;

    @Autowired
    Ledger ledger;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void reset() {
        this.ledger.reset();
    }

    @Test
    void aRetriedParentResumesFromItsJournalWithoutRunningAFinishedCallAgain() {
        this.ledger.failNext("fragile:p1:b", 1);
        DispatchId parent = this.dispatcher.dispatch(() -> this.retried.callThenGather("p1"));
        assertThat(await(parent).status()).isEqualTo(InvocationStatus.FAILED);

        DispatchId b = child(parent, "p1:b");
        assertThat(this.dispatcher.retry(b)).isTrue();
        assertThat(await(b).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.retry(parent)).isTrue();
        InvocationInfo info = await(parent);

        assertThat(info.status())
                .as("parent after its retry: %s", info.errorMessage())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(parent)).contains("1 [ok p1:b]");
        assertThat(this.ledger.runs("count:p1"))
                .as("runs of the finished direct call")
                .isEqualTo(1);
    }

    @Test
    void retryingOneOfTwoFailedCallsOfAGatherLeavesTheOtherFailure() {
        this.ledger.failNext("fragile:p2:x", 1);
        this.ledger.failNext("fragile:p2:y", 1);
        DispatchId parent = this.dispatcher.dispatch(() -> this.retried.gatherThree("p2"));
        assertThat(await(parent).status()).isEqualTo(InvocationStatus.FAILED);
        await(child(parent, "p2:z"));
        await(child(parent, "p2:y"));

        DispatchId x = child(parent, "p2:x");
        assertThat(this.dispatcher.retry(x)).isTrue();
        assertThat(await(x).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.retry(parent)).isTrue();
        InvocationInfo again = await(parent);

        assertThat(again.status()).as("y still failed").isEqualTo(InvocationStatus.FAILED);
        assertThat(again.errorMessage()).contains("p2:y is broken");

        DispatchId y = child(parent, "p2:y");
        assertThat(this.dispatcher.retry(y)).isTrue();
        assertThat(await(y).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.retry(parent)).isTrue();
        assertThat(await(parent).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<java.util.List<String>>result(parent))
                .contains(java.util.List.of("ok p2:x", "ok p2:y", "ok p2:z"));
    }

    @Test
    void retryingAFailedCallOfAnAnyMakesItTheWinner() {
        this.ledger.failNext("fragile:p3:x", 1);
        this.ledger.failNext("fragile:p3:y", 1);
        DispatchId parent = this.dispatcher.dispatch(() -> this.retried.anyOfTwo("p3"));
        assertThat(await(parent).status()).isEqualTo(InvocationStatus.FAILED);

        DispatchId y = child(parent, "p3:y");
        assertThat(this.dispatcher.retry(y)).isTrue();
        assertThat(await(y).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.retry(parent)).isTrue();

        assertThat(await(parent).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(parent)).contains("ok p3:y");
        assertThat(this.ledger.runs("fragile:p3:x"))
                .as("the other call is not run again")
                .isEqualTo(1);
    }

    @Test
    void aRaceRetriedAfterItsChildrenIsDecidedByTheirRealFinishingOrder() {
        this.ledger.failNext("fragile:p4:x", 1);
        this.ledger.failNext("fragile:p4:y", 1);
        DispatchId parent = this.dispatcher.dispatch(() -> this.retried.raceOfTwo("p4"));
        assertThat(await(parent).status()).isEqualTo(InvocationStatus.FAILED);
        DispatchId x = child(parent, "p4:x");
        DispatchId y = child(parent, "p4:y");
        await(x);
        await(y);

        // x succeeds on its retry; y's failure came first, so the race still ends with y's failure, never null
        assertThat(this.dispatcher.retry(x)).isTrue();
        assertThat(await(x).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.retry(parent)).isTrue();
        InvocationInfo failed = await(parent);
        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorMessage()).contains("p4:y is broken");

        // y succeeds after x: x finished first and wins
        assertThat(this.dispatcher.retry(y)).isTrue();
        assertThat(await(y).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.retry(parent)).isTrue();
        assertThat(await(parent).status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(parent)).contains("ok p4:x");
    }

    @Test
    void aRetriedParentWhoseRetriedCallWasCancelledMeanwhileEndsInsteadOfWaitingForever() {
        // found by the long simulation run (seed 28e7b71e361d047d): the call's cancellation was never counted in the
        // parent's re-opened step, and the parent's retry suspended on that step for good
        this.ledger.failNext("gated:p5:g", 1);
        this.ledger.closeGate("p5:g");
        DispatchId parent = this.dispatcher.dispatch(() -> this.retried.gatherGated("p5"));
        assertThat(await(parent).status()).isEqualTo(InvocationStatus.FAILED);
        DispatchId g = child(parent, "p5:g");
        assertThat(this.dispatcher.retry(g)).as("retry of the failed call").isTrue();
        Awaitility.await("the retried call at its gate").atMost(WAIT).until(() -> this.ledger.runs("gated:p5:g") == 2);

        assertThat(this.dispatcher.cancel(parent))
                .as("cancelled under the failed parent: the retried call")
                .isEqualTo(1);
        this.ledger.openGate("p5:g");
        assertThat(this.dispatcher.retry(parent)).isTrue();
        InvocationInfo info = await(parent);

        assertThat(info.status()).as("the parent once retried").isEqualTo(InvocationStatus.FAILED);
        assertThat(info.errorMessage()).contains(g.value());
        assertThat(await(g).status()).isEqualTo(InvocationStatus.CANCELLED);
        assertThat(this.ledger.runs("gated:p5:g"))
                .as("runs of the cancelled call")
                .isEqualTo(2);
    }

    private InvocationInfo await(DispatchId id) {
        return this.dispatcher.awaitCompletion(id, WAIT);
    }

    private DispatchId child(DispatchId parent, String key) {
        return DispatchId.of(this.jdbc.queryForObject(
                "SELECT id FROM dispatch_invocation WHERE parent_id = ? AND arguments = ?",
                String.class,
                parent.value(),
                "[\"" + key + "\"]"));
    }
}
