package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.engine.Scheduler;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A resource that says when to come back is obeyed: the next attempt is due no earlier than it asked, however short
 * the function's own back-off (10 ms here). Checked on the recorded row, without waiting for it.
 */
@SpringBootTest
class RetryAfterTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Backpressure backpressure;

    @Autowired
    Scheduler scheduler;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aThrottledExceptionsRetryAfterPostponesTheNextAttempt() {
        Instant before = this.scheduler.clockNow();

        DispatchId id = this.dispatcher.dispatch(() -> this.backpressure.throttled(600));

        Map<String, Object> row = awaitFirstRetry(id);
        assertThat(time(row, "next_attempt_at")).isAfterOrEqualTo(before.plus(Duration.ofMinutes(10)));
        assertThat(row.get("error_type")).asString().endsWith("ThrottledException");
        this.dispatcher.cancel(id);
    }

    @Test
    void aTooManyRequestsAnswersRetryAfterSecondsPostponesTheNextAttempt() {
        Instant before = this.scheduler.clockNow();

        DispatchId id = this.dispatcher.dispatch(() -> this.backpressure.tooManyRequests(120));

        Map<String, Object> row = awaitFirstRetry(id);
        assertThat(time(row, "next_attempt_at")).isAfterOrEqualTo(before.plus(Duration.ofMinutes(2)));
        this.dispatcher.cancel(id);
    }

    @Test
    void aServiceUnavailableAnswersRetryAfterDateIsAThrottleThatPostponesTheNextAttempt() {
        Instant until = this.scheduler.clockNow().plus(Duration.ofMinutes(30)).plusSeconds(1);

        DispatchId id =
                this.dispatcher.dispatch(() -> this.backpressure.unavailableUntil(Backpressure.httpDate(until)));

        Map<String, Object> row = awaitFirstRetry(id);
        // an HTTP-date has whole seconds
        assertThat(time(row, "next_attempt_at")).isAfterOrEqualTo(until.minusSeconds(1));
        assertThat(row.get("error_status")).isEqualTo("THROTTLED");
        this.dispatcher.cancel(id);
    }

    private Map<String, Object> awaitFirstRetry(DispatchId id) {
        String select = "SELECT * FROM dispatch_invocation WHERE id = ?";
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Map<String, Object> row = this.jdbc.queryForMap(select, id.value());
            return "PENDING".equals(row.get("status")) && ((Number) row.get("attempts")).intValue() == 1;
        });
        return this.jdbc.queryForMap(select, id.value());
    }

    private static Instant time(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.time.LocalDateTime) value).toInstant(java.time.ZoneOffset.UTC);
    }
}
