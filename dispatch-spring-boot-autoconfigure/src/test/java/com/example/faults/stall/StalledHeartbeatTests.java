package com.example.faults.stall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A node whose heartbeat stalls for longer than a lease while an attempt runs on: its own housekeeping takes the call
 * over as the next attempt, which runs to its end. The stale attempt, when it goes on, must run nothing the next
 * attempt ran: not even the body of a direct child call, whose record it cannot see (issue 14; found by the
 * simulation, seed 1ab17cc777bf192f).
 */
@SpringBootTest(
        classes = StallApplication.class,
        properties = {"dispatch.workers=2", "dispatch.lease-duration=1s", "dispatch.poll-interval=100ms"})
@ExtendWith(OutputCaptureExtension.class)
class StalledHeartbeatTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Stalling stalling;

    @Autowired
    FirstAttempt first;

    @Autowired
    StallableHeartbeat heartbeat;

    @AfterEach
    void resume() {
        this.heartbeat.resume();
        this.first.letGoOn.countDown();
    }

    @Test
    void anAttemptThatOutlivedItsLeaseRunsNoChildTheNextAttemptRan(CapturedOutput output) throws Exception {
        DispatchId id = this.dispatcher.dispatch(this.stalling::parent);
        assertThat(this.first.inBody.await(20, TimeUnit.SECONDS)).isTrue();

        this.heartbeat.stall();
        // the lease expires; this node's housekeeping takes the call over and its next attempt runs the child
        await("the next attempt ran the child")
                .atMost(Duration.ofSeconds(30))
                .until(() -> this.first.childRuns.get() == 1);
        this.heartbeat.resume();
        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20));
        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(info.attempts()).isGreaterThanOrEqualTo(2);

        // the stale first attempt goes on to its direct call of the child
        this.first.letGoOn.countDown();
        assertThat(this.first.done.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(this.first.childRuns.get())
                .as("runs of the child: the stale attempt must not run it again")
                .isEqualTo(1);
        assertThat(this.first.unwoundBy)
                .as("the stale attempt unwinds at its step, as an attempt that lost its lease")
                .isNotNull()
                .isNotInstanceOf(Exception.class);
        InvocationInfo after = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(5));
        assertThat(after.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(after.attempts()).isEqualTo(info.attempts());
        assertThat(after.updatedAt()).as("nothing written by the stale attempt").isEqualTo(info.updatedAt());
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("is no longer held by this node"));
    }
}
