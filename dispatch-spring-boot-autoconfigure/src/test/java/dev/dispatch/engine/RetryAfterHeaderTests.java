package dev.dispatch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.Status;
import dev.dispatch.ThrottledException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClientException;

class RetryAfterHeaderTests {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(RetryAfter.parse("120", NOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 12:05:00 GMT", NOW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(RetryAfter.parse("Tue, 01 Dec 2026 11:00:00 GMT", NOW))
                .as("a date past is no wait")
                .isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", NOW)).isNull();
        assertThat(RetryAfter.parse("-5", NOW)).isNull();
    }

    @Test
    void aThrottledExceptionAnywhereInTheCauseChainSaysHowLongToWait() {
        ThrottledException throttled = new ThrottledException("quota", Duration.ofSeconds(30));

        assertThat(RetryAfter.of(new IllegalStateException("wrapped", throttled), NOW))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.of(new ThrottledException("no hint"), NOW)).isNull();
    }

    @Test
    void tooManyRequestsAndServiceUnavailableWithRetryAfterSayHowLongToWait() {
        assertThat(RetryAfter.of(new RestClientException("wrapped", http(HttpStatus.TOO_MANY_REQUESTS, "7")), NOW))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.of(http(HttpStatus.SERVICE_UNAVAILABLE, "Tue, 01 Dec 2026 12:00:09 GMT"), NOW))
                .isEqualTo(Duration.ofSeconds(9));
        assertThat(RetryAfter.of(http(HttpStatus.BAD_REQUEST, "7"), NOW))
                .as("only 429 and 503 ask to come back later")
                .isNull();
        assertThat(RetryAfter.of(http(HttpStatus.TOO_MANY_REQUESTS, null), NOW)).isNull();
    }

    @Test
    void aServiceUnavailableThatSaysWhenToComeBackIsAThrottle() {
        Classifier classifier = new Classifier();

        assertThat(classifier.classify(http(HttpStatus.SERVICE_UNAVAILABLE, "3")))
                .isEqualTo(Status.THROTTLED);
        assertThat(classifier.classify(http(HttpStatus.SERVICE_UNAVAILABLE, null)))
                .isEqualTo(Status.TEMPORARY_ERROR);
        assertThat(classifier.classify(http(HttpStatus.TOO_MANY_REQUESTS, "3"))).isEqualTo(Status.THROTTLED);
    }

    @Test
    void theNextAttemptWaitsForTheLongerOfTheBackoffAndWhatWasAsked() throws Exception {
        dev.dispatch.aop.FunctionDefinition function = new dev.dispatch.aop.FunctionDefinition(
                "f",
                "bean",
                Object.class.getMethod("toString"),
                new java.lang.reflect.Type[0],
                String.class,
                10,
                Duration.ofMillis(100),
                Duration.ofMillis(200),
                2.0,
                null,
                List.of(),
                List.of(),
                null,
                0);

        assertThat(RetrySchedule.backoffAfter(function, 1, new ThrottledException("q", Duration.ofHours(1)), NOW))
                .as("above the function's maximum back-off too")
                .isEqualTo(Duration.ofHours(1));
        assertThat(RetrySchedule.backoffAfter(function, 1, new ThrottledException("q", Duration.ZERO), NOW))
                .isBetween(Duration.ofMillis(50), Duration.ofMillis(200));
    }

    private static RuntimeException http(HttpStatus status, String retryAfter) {
        HttpHeaders headers = new HttpHeaders();
        if (retryAfter != null) {
            headers.set("Retry-After", retryAfter);
        }
        byte[] body = new byte[0];
        return status.is4xxClientError()
                ? HttpClientErrorException.create(
                        status, status.getReasonPhrase(), headers, body, StandardCharsets.UTF_8)
                : HttpServerErrorException.create(
                        status, status.getReasonPhrase(), headers, body, StandardCharsets.UTF_8);
    }
}
