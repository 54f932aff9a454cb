package com.example.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import dev.dispatch.test.DispatchTester;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:reminders;DB_CLOSE_DELAY=-1")
class RemindersTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Reminders reminders;

    @Autowired
    DispatchTester tester;

    @Test
    void remindsADayLater() {
        DispatchId id = dispatcher.dispatch(() -> reminders.welcomeThenRemind("ada@example.com"));

        tester.advanceClock(Duration.ofHours(23)); // welcomed, asleep
        assertThat(dispatcher.describe(id).orElseThrow().status()).isEqualTo(InvocationStatus.PENDING);

        tester.advanceClock(Duration.ofHours(1)); // the day is over: the reminder goes out
        tester.awaitIdle(id, Duration.ofSeconds(10));
        assertThat(dispatcher.<String>result(id)).contains("reminded ada@example.com");
    }

    @Test
    void aRecordedRunStillReplaysOnTodaysCode() {
        DispatchId id = dispatcher.dispatch(() -> reminders.welcomeThenRemind("bob@example.com"));
        tester.advanceClock(Duration.ofDays(1));
        tester.awaitIdle(id, Duration.ofSeconds(10));

        String history = tester.exportHistory(id); // keep a few from production under src/test/resources
        tester.replay(history); // throws NonDeterminismException if the code no longer makes these calls
    }
}
