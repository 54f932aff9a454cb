package com.example.crash;

import static org.awaitility.Awaitility.await;

import dev.dispatch.Dispatcher;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Starts the fan-out on the first run only, and tells when all its calls succeeded. */
@Component
public class CrashRun {

    private final Dispatcher dispatcher;

    private final FanOut fanOut;

    private final JdbcTemplate jdbc;

    public CrashRun(Dispatcher dispatcher, FanOut fanOut, JdbcTemplate jdbc) {
        this.dispatcher = dispatcher;
        this.fanOut = fanOut;
        this.jdbc = jdbc;
    }

    /** Dispatches the root unless a previous run recorded it: a restart must not fan out again. */
    void startUnlessRecorded(int calls) {
        if (count("SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = ?", FanOut.NAME) == 0) {
            this.dispatcher.dispatch(() -> this.fanOut.fanOut(calls));
        }
    }

    void awaitAllSucceeded(int calls, Duration timeout) {
        String succeeded = "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = ? AND status = 'SUCCEEDED'";
        await("every call succeeded")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> count(succeeded, Effects.NAME) >= calls && count(succeeded, FanOut.NAME) >= 1);
    }

    private int count(String sql, String function) {
        Integer count = this.jdbc.queryForObject(sql, Integer.class, function);
        return count != null ? count : 0;
    }
}
