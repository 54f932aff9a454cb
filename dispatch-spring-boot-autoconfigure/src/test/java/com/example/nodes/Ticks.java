package com.example.nodes;

import com.example.support.EffectLog;
import dev.dispatch.CatchUp;
import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchSchedule;
import dev.dispatch.Dispatcher;
import dev.dispatch.Overlap;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Two schedules ticking every second, on the nodes of {@link ScheduleClusterTests} only ({@code nodes.schedules=true}):
 * {@code nodes.tick} runs every tick ({@code ALLOW}, {@code ALL}) and logs it by its tick's second; {@code nodes.slow}
 * takes 2.5 s, so with {@code SKIP} most ticks find it unfinished, and records when each attempt ran in
 * {@code nodes_slow_runs} by the database's clock.
 */
@Service
@ConditionalOnBooleanProperty("nodes.schedules")
public class Ticks {

    static final String TICK = "nodes.tick";

    static final String SLOW = "nodes.slow";

    private final Dispatcher dispatcher;

    private final JdbcTemplate jdbc;

    private final EffectLog.Writer log;

    private final String node;

    public Ticks(
            Dispatcher dispatcher, JdbcTemplate jdbc, EffectLog.Writer log, @Value("${dispatch.node-id}") String node) {
        this.dispatcher = dispatcher;
        this.jdbc = jdbc;
        this.log = log;
        this.node = node;
    }

    @DispatchSchedule(cron = "* * * * * *", zone = "UTC", overlap = Overlap.ALLOW, catchUp = CatchUp.ALL)
    @DispatchFunction(name = TICK, initialBackoff = "10ms")
    public void tick() {
        int second = (int)
                tickOf(this.dispatcher.current().orElseThrow().id().value()).getEpochSecond();
        this.log.start(TICK, second);
        // long enough that a node killed at any moment is likely to hold a tick's run
        Work.sleep(300);
        this.log.done(TICK, second);
    }

    @DispatchSchedule(cron = "* * * * * *", zone = "UTC")
    @DispatchFunction(name = SLOW, initialBackoff = "10ms")
    public void slow() {
        String id = this.dispatcher.current().orElseThrow().id().value();
        long row = this.jdbc.queryForObject(
                "INSERT INTO nodes_slow_runs (invocation_id, node, started_at) VALUES (?, ?, clock_timestamp())"
                        + " RETURNING id",
                Long.class,
                id,
                this.node);
        Work.sleep(2500);
        this.jdbc.update("UPDATE nodes_slow_runs SET ended_at = clock_timestamp() WHERE id = ?", row);
    }

    /** The tick a scheduled run belongs to: the time in its idempotency key. */
    private Instant tickOf(String invocationId) {
        String key = this.jdbc.queryForObject(
                "SELECT idempotency_key FROM dispatch_invocation WHERE id = ?", String.class, invocationId);
        return Instant.parse(key.substring(("dispatch-schedule:" + TICK + ":").length()));
    }
}
