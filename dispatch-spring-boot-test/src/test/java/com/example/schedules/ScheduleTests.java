package com.example.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dispatch.DispatchId;
import dev.dispatch.InvocationStatus;
import dev.dispatch.engine.Engine;
import dev.dispatch.engine.ScheduleInfo;
import dev.dispatch.engine.Schedules;
import dev.dispatch.test.DispatchTester;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** @DispatchSchedule on the engine's clock: ticks, overlap, catch-up, pause, resume and trigger. */
@SpringBootTest(
        classes = SchedulesApplication.class,
        properties = "spring.datasource.url=jdbc:h2:mem:schedules;DB_CLOSE_DELAY=-1")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduleTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    DispatchTester tester;

    @Autowired
    Nightly nightly;

    @Autowired
    Schedules schedules;

    @Autowired
    Engine engine;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    @Order(1)
    void eachTickOfASlowScheduleRunsOnceAndSkipNeverOverlaps() {
        this.schedules.pause("nightly.catchUpLatest");
        this.schedules.pause("nightly.catchUpAll");
        this.schedules.pause("nightly.catchUpNone");
        this.tester.advanceClock(Duration.ofSeconds(1));
        int before = this.nightly.counts()[1];

        this.tester.advanceClock(Duration.ofMinutes(6));
        this.tester.advanceClock(Duration.ofMinutes(2));

        List<Instant[]> runs = this.jdbc.query(
                "SELECT created_at, completed_at FROM dispatch_invocation WHERE function_name = 'nightly.slowEveryMinute'"
                        + " AND parent_id IS NULL ORDER BY created_at",
                (rs, n) -> {
                    java.time.OffsetDateTime ended = rs.getObject(2, java.time.OffsetDateTime.class);
                    return new Instant[] {
                        rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                        (ended != null) ? ended.toInstant() : Instant.MAX
                    };
                });
        assertThat(this.nightly.counts()[1]).as("the body ran").isGreaterThan(before);
        assertThat(runs)
                .as("a run every other minute over eight (each one runs 90 s)")
                .hasSizeBetween(3, 5);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i)[0])
                    .as("run %d starts after run %d ended", i + 1, i)
                    .isAfter(runs.get(i - 1)[1]);
        }
    }

    @Test
    @Order(2)
    void aNightlyScheduleRunsOncePerNightInItsZone() {
        int before = this.nightly.counts()[0];
        this.schedules.pause("nightly.slowEveryMinute");

        this.tester.advanceClock(Duration.ofDays(3));
        this.tester.awaitIdle(TIMEOUT);

        assertThat(this.nightly.counts()[0] - before).isEqualTo(3);
        ScheduleInfo report = info("nightly.report");
        assertThat(report.zone()).isEqualTo("Europe/Paris");
        assertThat(report.cron()).isEqualTo("0 0 2 * * *");
        assertThat(report.lastRunStatus()).isEqualTo(InvocationStatus.SUCCEEDED.name());
        assertThat(report.nextTick().atZone(java.time.ZoneId.of("Europe/Paris")).getHour())
                .isEqualTo(2);
        assertThat(info("nightly.catchUpAll").paused()).isTrue();
    }

    @Test
    @Order(3)
    void ticksMissedWhileNoNodeRanStartOneRunAllOfThemOrNone() {
        // while they are paused, the clock moves to ten seconds past a tick (each ticks at :30), so that their next
        // tick is fifty seconds away and cannot come due in real time before the jump below
        Instant now = this.tester.now();
        Instant pastTick =
                now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(40);
        this.tester.advanceClock(Duration.between(now, pastTick.isAfter(now) ? pastTick : pastTick.plusSeconds(60)));
        this.schedules.resume("nightly.catchUpLatest");
        this.schedules.resume("nightly.catchUpAll");
        this.schedules.resume("nightly.catchUpNone");
        int[] before = this.nightly.counts();
        Instant firstTick = info("nightly.catchUpAll").nextTick();

        // the clock jumps at once to 20 s past the fifth tick, as if no node had run meanwhile: NONE's latest tick is
        // late by more than its five seconds of grace
        this.engine
                .scheduler()
                .advanceClock(Duration.between(this.tester.now(), firstTick.plus(Duration.ofSeconds(260))));
        this.tester.advanceClock(Duration.ZERO);
        this.tester.awaitIdle(TIMEOUT);

        int[] after = this.nightly.counts();
        assertThat(after[2] - before[2]).as("LATEST").isEqualTo(1);
        assertThat(after[3] - before[3]).as("ALL").isEqualTo(5);
        assertThat(after[4] - before[4]).as("NONE").isZero();
    }

    @Test
    @Order(4)
    void aPausedScheduleDoesNotTickAndATriggerRunsItNow() {
        int before = this.nightly.counts()[0];
        this.schedules.pause("nightly.report");
        this.tester.advanceClock(Duration.ofDays(1));
        assertThat(this.nightly.counts()[0]).isEqualTo(before);

        DispatchId now = this.schedules.trigger("nightly.report");
        this.tester.awaitIdle(now, TIMEOUT);
        assertThat(this.nightly.counts()[0]).isEqualTo(before + 1);
        assertThat(info("nightly.report").lastRun()).isEqualTo(now);

        this.schedules.resume("nightly.report");
        this.tester.advanceClock(Duration.ofDays(1));
        this.tester.awaitIdle(TIMEOUT);
        assertThat(this.nightly.counts()[0]).isEqualTo(before + 2);
        assertThatThrownBy(() -> this.schedules.pause("nightly.nothing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nightly.report");
    }

    private ScheduleInfo info(String function) {
        return this.schedules.list().stream()
                .filter(s -> s.function().equals(function))
                .findFirst()
                .orElseThrow();
    }
}
