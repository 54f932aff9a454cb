package dev.dispatch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.aop.FunctionDefinition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;

class RetryScheduleTests {

    @RepeatedTest(20)
    void backoffGrowsExponentiallyWithJitterUpToItsBound() throws Exception {
        FunctionDefinition function = new FunctionDefinition(
                "f",
                "bean",
                Object.class.getMethod("toString"),
                new java.lang.reflect.Type[0],
                String.class,
                10,
                Duration.ofMillis(100),
                Duration.ofMillis(1000),
                2.0,
                null,
                List.of(),
                List.of(),
                null,
                0);

        // Spring's jitter spreads each interval around 100 ms * 2^(attempt - 1), capped at the maximum.
        assertThat(RetrySchedule.backoffAfter(function, 1).toMillis()).isBetween(50L, 150L);
        assertThat(RetrySchedule.backoffAfter(function, 3).toMillis()).isBetween(200L, 700L);
        assertThat(RetrySchedule.backoffAfter(function, 8).toMillis()).isBetween(500L, 1000L);
    }
}
