package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** A direct call's first run returns what a replay returns: the value decoded from its recorded JSON. */
@SpringBootTest
class RecordedValueTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Meetings meetings;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aDirectCallReturnsTheRecordedValueOnItsFirstRun() {
        DispatchId parent = this.dispatcher.dispatch(() -> this.meetings.describeMeeting());
        assertThat(this.dispatcher
                        .awaitCompletion(parent, Duration.ofSeconds(20))
                        .status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        DispatchId child = DispatchId.of(this.jdbc.queryForObject(
                "SELECT id FROM dispatch_invocation WHERE parent_id = ?", String.class, parent.value()));

        OffsetDateTime replayed = this.dispatcher.<OffsetDateTime>result(child).orElseThrow();

        assertThat(this.dispatcher.<String>result(parent)).contains("at " + replayed);
    }
}
