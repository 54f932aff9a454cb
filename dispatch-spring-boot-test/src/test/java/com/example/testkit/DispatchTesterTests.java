package com.example.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dispatch.DeadlineExceededException;
import dev.dispatch.DispatchId;
import dev.dispatch.DispatchOptions;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.NonDeterminismException;
import dev.dispatch.test.DispatchTester;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class DispatchTesterTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Autowired
    private Dispatcher dispatcher;

    @Autowired
    private DispatchTester tester;

    @Autowired
    private Onboarding onboarding;

    @Autowired
    private Mailer mailer;

    @AfterEach
    void finishEverything() {
        this.onboarding.setVersion(1);
        this.tester.advanceClock(Duration.ofDays(3));
        this.tester.awaitIdle(TIMEOUT);
    }

    @Test
    void aWorkflowThatSleepsADayIsTestedInSeconds() {
        Instant before = this.tester.now();
        DispatchId id = this.dispatcher.dispatch(() -> this.onboarding.welcome("ada@example.com"));

        this.tester.advanceClock(Duration.ofHours(23));
        assertThat(sentTo("ada@example.com")).containsExactly("welcome to ada@example.com");
        assertThat(status(id)).isEqualTo(InvocationStatus.PENDING);

        this.tester.advanceClock(Duration.ofHours(1));
        this.tester.awaitIdle(id, TIMEOUT);
        assertThat(status(id)).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<List<String>>result(id)).contains(List.of("welcome", "how is it going?"));
        assertThat(sentTo("ada@example.com"))
                .containsExactly("welcome to ada@example.com", "how is it going? to ada@example.com");
        assertThat(Duration.between(before, this.tester.now())).isGreaterThanOrEqualTo(Duration.ofDays(1));
    }

    @Test
    void aSignalsTimeOutFallsDueWhenTheClockMoves() {
        DispatchId id = this.dispatcher.dispatch(() -> this.onboarding.confirm("bo@example.com"));

        this.tester.advanceClock(Duration.ofDays(1));
        assertThat(status(id)).isEqualTo(InvocationStatus.PENDING);

        this.tester.advanceClock(Duration.ofDays(1));
        this.tester.awaitIdle(id, TIMEOUT);
        assertThat(this.dispatcher.<String>result(id)).contains("not confirmed");
        assertThat(this.dispatcher.describe(id).orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void aSignalBeforeTheTimeOutAnswersTheWaitAndReplaysFromTheRecord() {
        DispatchId id = this.dispatcher.dispatch(() -> this.onboarding.confirm("cy@example.com"));
        this.tester.advanceClock(Duration.ofHours(5));
        assertThat(status(id)).isEqualTo(InvocationStatus.PENDING);

        this.dispatcher.signal("confirm:cy@example.com", "cy");
        this.tester.awaitIdle(id, TIMEOUT);

        assertThat(this.dispatcher.<String>result(id)).contains("confirmed by cy");
        this.tester.replay(this.tester.exportHistory(id));
    }

    @Test
    void awaitIdleNamesWhatIsUnfinished() {
        DispatchId id = this.dispatcher.dispatch(() -> this.onboarding.nap(Duration.ofHours(1)));
        this.tester.advanceClock(Duration.ZERO);

        assertThatThrownBy(() -> this.tester.awaitIdle(id, Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(id.value())
                .hasMessageContaining("onboarding.nap PENDING (attempts 1");
        assertThatThrownBy(() -> this.tester.awaitIdle(Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(id.value());

        this.tester.advanceClock(Duration.ofHours(1));
        this.tester.awaitIdle(id, TIMEOUT);
        assertThat(status(id)).isEqualTo(InvocationStatus.SUCCEEDED);
    }

    @Test
    void aRetryBackOffPassesWithTheClock() {
        int calls = this.onboarding.flakyCalls();
        DispatchId id = this.dispatcher.dispatch(() -> this.onboarding.flaky());

        this.tester.advanceClock(Duration.ofMinutes(1));
        assertThat(this.onboarding.flakyCalls()).isEqualTo(calls + 1);
        assertThat(status(id)).isEqualTo(InvocationStatus.PENDING);

        this.tester.advanceClock(Duration.ofMinutes(15));
        this.tester.awaitIdle(id, TIMEOUT);
        InvocationInfo info = this.dispatcher.describe(id).orElseThrow();
        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(info.attempts()).isEqualTo(2);
        assertThat(this.dispatcher.<Integer>result(id)).contains(42);
    }

    @Test
    void aDeadlinePassesWithTheClock() {
        DispatchId id = this.dispatcher.dispatch(
                () -> this.onboarding.nap(Duration.ofHours(2)), DispatchOptions.deadline(Duration.ofHours(1)));

        this.tester.advanceClock(Duration.ofMinutes(61));
        this.tester.awaitIdle(id, TIMEOUT);
        InvocationInfo info = this.dispatcher.describe(id).orElseThrow();
        assertThat(info.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(info.errorType()).isEqualTo(DeadlineExceededException.class.getName());
    }

    @Test
    void aTreeListsParentsBeforeChildrenInTheirOrder() {
        DispatchId id = this.dispatcher.dispatch(() -> this.onboarding.newsletter(List.of("x@a", "y@a", "z@a")));
        this.tester.awaitIdle(id, TIMEOUT);

        List<InvocationInfo> tree = this.tester.tree(id);
        assertThat(tree)
                .extracting(InvocationInfo::function)
                .containsExactly("onboarding.newsletter", "mailer.send", "mailer.send", "mailer.send");
        assertThat(tree.get(0).id()).isEqualTo(id);
        assertThat(tree.subList(1, 4)).allSatisfy(child -> {
            assertThat(child.parentId()).isEqualTo(id);
            assertThat(child.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        });
        assertThat(this.tester.tree(tree.get(2).id())).isEqualTo(tree);
    }

    @Test
    void aFinishedHistoryReplaysWithoutSideEffectsAndAChangedWorkflowIsCaught() {
        DispatchId id = this.dispatcher.dispatch(() -> this.onboarding.welcome("bob@example.com"));
        this.tester.advanceClock(Duration.ofDays(1));
        this.tester.awaitIdle(id, TIMEOUT);
        String history = this.tester.exportHistory(id);
        assertThat(history).contains("\"format\" : \"dispatch-history/1\"", "onboarding.welcome", "SLEEP");
        int sent = this.mailer.sent().size();

        this.tester.replay(history);
        assertThat(this.mailer.sent()).hasSize(sent);

        this.onboarding.setVersion(2);
        assertThatThrownBy(() -> this.tester.replay(history))
                .isInstanceOf(NonDeterminismException.class)
                .hasMessageContaining("onboarding.welcome")
                .hasMessageContaining("step 0");
        assertThat(this.mailer.sent()).hasSize(sent);
    }

    @Test
    void anUnfinishedHistoryReplaysAsFarAsItGoes() {
        DispatchId id = this.dispatcher.dispatch(() -> this.onboarding.welcome("cy@example.com"));
        this.tester.advanceClock(Duration.ofHours(1));
        assertThat(status(id)).isEqualTo(InvocationStatus.PENDING);
        String sleeping = this.tester.exportHistory(id);

        this.tester.replay(sleeping);
        this.onboarding.setVersion(2);
        assertThatThrownBy(() -> this.tester.replay(sleeping)).isInstanceOf(NonDeterminismException.class);
    }

    @Test
    void aStepThatRecordsNoCallDoesNotHideAChangedWorkflow() {
        DispatchId announced = this.dispatcher.dispatch(() -> this.onboarding.announce("dee@example.com"));
        DispatchId welcomed = this.dispatcher.dispatch(() -> this.onboarding.welcome("dee@example.com"));
        this.tester.advanceClock(Duration.ofDays(1));
        this.tester.awaitIdle(TIMEOUT);
        String announcement = this.tester.exportHistory(announced);
        String welcome = this.tester.exportHistory(welcomed);
        this.tester.replay(announcement);
        this.tester.replay(welcome);

        this.onboarding.setVersion(3);
        // the signal at step 0 records nothing: the mail it no longer sends is step 2, the last one recorded
        assertThatThrownBy(() -> this.tester.replay(announcement))
                .isInstanceOf(NonDeterminismException.class)
                .hasMessageContaining("onboarding.announce")
                .hasMessageContaining("step 2")
                .hasMessageContaining("no more durable calls");
        // a signal where the record holds a call
        assertThatThrownBy(() -> this.tester.replay(welcome))
                .isInstanceOf(NonDeterminismException.class)
                .hasMessageContaining("onboarding.welcome")
                .hasMessageContaining("step 0")
                .hasMessageContaining("signal");
    }

    @Test
    void aHistoryMustBeOne() {
        assertThatThrownBy(() -> this.tester.replay("{\"steps\": []}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exportHistory");
        assertThatThrownBy(() -> this.tester.exportHistory(DispatchId.of("00000000-0000-7000-8000-000000000000")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private InvocationStatus status(DispatchId id) {
        return this.dispatcher.describe(id).orElseThrow().status();
    }

    private List<String> sentTo(String address) {
        return this.mailer.sent().stream()
                .filter(line -> line.endsWith(" to " + address))
                .toList();
    }
}
