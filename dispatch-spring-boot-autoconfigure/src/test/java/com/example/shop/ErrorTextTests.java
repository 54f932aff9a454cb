package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** An error's message and stack are stored bounded and without control characters. */
@SpringBootTest
class ErrorTextTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Noisy noisy;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aHugeMessageWithControlCharactersIsStoredBoundedAndClean() {
        DispatchId id = this.dispatcher.dispatch(() -> this.noisy.shout());
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(20)).status())
                .isEqualTo(InvocationStatus.FAILED);

        Map<String, Object> row = this.jdbc.queryForMap(
                "SELECT error_message, error_stack FROM dispatch_invocation WHERE id = ?", id.value());
        String message = (String) row.get("error_message");
        String stack = (String) row.get("error_stack");

        assertThat(message).startsWith("badinput xxx").hasSizeLessThanOrEqualTo(8 * 1024);
        assertThat(message).endsWith("more characters)");
        assertThat(stack)
                .hasSizeLessThanOrEqualTo(16 * 1024)
                .doesNotContain("\u0000")
                .doesNotContain("\u0007");
        assertThat(stack).contains("PermanentFailureException");
    }
}
