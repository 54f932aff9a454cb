package dev.dispatch.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTests {

    @Test
    void ratesArePermitsPerSecondsMinutesOrHours() {
        assertThat(RateLimit.parse("100/1s")).isEqualTo(new RateLimit(100, Duration.ofSeconds(1)));
        assertThat(RateLimit.parse("5/10s")).isEqualTo(new RateLimit(5, Duration.ofSeconds(10)));
        assertThat(RateLimit.parse("20/1m")).isEqualTo(new RateLimit(20, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse("1000/2h")).isEqualTo(new RateLimit(1000, Duration.ofHours(2)));
        assertThat(RateLimit.parse(" 7 / s ")).isEqualTo(new RateLimit(7, Duration.ofSeconds(1)));
    }

    @Test
    void otherTextIsRefusedWithTheExpectedForms() {
        for (String bad : new String[] {"", "100", "100/1d", "100/0s", "0/1s", "-1/1s", "1s", "100 per second"}) {
            assertThatIllegalArgumentException()
                    .as(bad)
                    .isThrownBy(() -> RateLimit.parse(bad))
                    .withMessageContaining("is not a rate");
        }
    }
}
