package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.ThrottledException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;

/** Functions whose downstream resource says how long to wait before the next try. */
@Service
public class Backpressure {

    /** Asks for {@code seconds} with a {@link ThrottledException}; a back-off of its own of 10 ms. */
    @DispatchFunction(initialBackoff = "10ms", maxBackoff = "20ms", maxAttempts = 3)
    public String throttled(long seconds) {
        throw new ThrottledException("quota used up", Duration.ofSeconds(seconds));
    }

    /** Answers like RestClient and RestTemplate do for a 429 with {@code Retry-After: seconds}. */
    @DispatchFunction(initialBackoff = "10ms", maxBackoff = "20ms", maxAttempts = 3)
    public String tooManyRequests(long seconds) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Retry-After", Long.toString(seconds));
        throw HttpClientErrorException.create(
                HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", headers, new byte[0], StandardCharsets.UTF_8);
    }

    /** Answers like RestClient and RestTemplate do for a 503 whose {@code Retry-After} is an HTTP-date. */
    @DispatchFunction(initialBackoff = "10ms", maxBackoff = "20ms", maxAttempts = 3)
    public String unavailableUntil(String httpDate) {
        HttpHeaders headers = new HttpHeaders();
        headers.set("Retry-After", httpDate);
        throw HttpServerErrorException.create(
                HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", headers, new byte[0], StandardCharsets.UTF_8);
    }

    /** {@code at} as an HTTP-date. */
    public static String httpDate(Instant at) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
    }
}
