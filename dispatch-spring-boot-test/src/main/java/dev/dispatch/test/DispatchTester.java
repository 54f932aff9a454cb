package dev.dispatch.test;

import dev.dispatch.DispatchId;
import dev.dispatch.InvocationInfo;
import dev.dispatch.NonDeterminismException;
import dev.dispatch.engine.Engine;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Drives Dispatch in an application's tests: waits for work to finish, moves the engine's clock so that sleeps,
 * retry back-offs and deadlines fall due at once, reads a whole tree, and checks that today's code can resume what
 * older code recorded. Auto-configured when {@code dev.dispatch:dispatch-spring-boot-test} is on the test class path;
 * inject it like any bean.
 *
 * <pre>{@code
 * DispatchId id = dispatcher.dispatch(() -> onboarding.welcome("ada@example.com"));
 * tester.advanceClock(Duration.ofDays(1));   // the day's sleep is over at once
 * tester.awaitIdle(id, Duration.ofSeconds(10));
 * }</pre>
 */
public final class DispatchTester {

    /** How long {@link #advanceClock} waits for the work due before and after the move to settle. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private static final String UNFINISHED = "status IN ('PENDING', 'RUNNING', 'SUSPENDED')";

    private final Engine engine;

    private final JdbcTemplate jdbc;

    private final JdbcTemplate firstRow;

    private final Histories histories;

    DispatchTester(Engine engine, DataSource dataSource, Histories histories) {
        this.engine = engine;
        this.jdbc = new JdbcTemplate(dataSource);
        this.firstRow = new JdbcTemplate(dataSource);
        this.firstRow.setMaxRows(1);
        this.histories = histories;
    }

    /**
     * Returns once no invocation is PENDING, RUNNING or SUSPENDED (a sleeping function is PENDING until its sleep is
     * over: move the clock with {@link #advanceClock}).
     *
     * @throws AssertionError after {@code timeout}, listing the unfinished invocations
     */
    public void awaitIdle(Duration timeout) {
        await(timeout, () -> count(null) == 0, () -> "Dispatch is not idle after " + timeout, null);
    }

    /**
     * Returns once no invocation of this tree is PENDING, RUNNING or SUSPENDED.
     *
     * @throws AssertionError after {@code timeout}, listing the tree's unfinished invocations
     * @throws IllegalArgumentException if there is no such invocation
     */
    public void awaitIdle(DispatchId root, Duration timeout) {
        String rootId = rootOf(root);
        await(timeout, () -> count(rootId) == 0, () -> "The tree of " + root + " is not idle after " + timeout, rootId);
    }

    /**
     * Moves the engine's clock forward by {@code amount}: sleeps, delayed dispatches, retry back-offs, deadlines and
     * schedules' ticks that fall due within it run at once, in the order they fall due, without waiting in real time. Before each move
     * the work already due runs until nothing is running and nothing is due (a function that has just been dispatched
     * reaches its sleep first); the method returns once the work due after the last move has settled the same way.
     * Attempts running during a move keep their leases. The clock never moves back.
     *
     * @throws AssertionError if the work due does not settle within 30 seconds of real time
     */
    public void advanceClock(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("advanceClock takes a positive amount, not " + amount);
        }
        settle();
        Instant target = now().plus(amount);
        while (true) {
            Instant next = nextDue(now());
            Instant to = (next != null && next.isBefore(target)) ? next : target;
            Duration step = Duration.between(now(), to);
            if (!step.isNegative() && !step.isZero()) {
                this.engine.scheduler().advanceClock(step);
            }
            settle();
            if (!now().isBefore(target)) {
                return;
            }
        }
    }

    /** The engine's time: the database's clock plus what {@link #advanceClock} added. */
    public Instant now() {
        return this.engine.scheduler().clockNow();
    }

    /**
     * The whole tree under {@code root}, parents before children, each step's children in their order.
     *
     * @throws IllegalArgumentException if there is no such invocation
     */
    public List<InvocationInfo> tree(DispatchId root) {
        String rootId = rootOf(root);
        Map<String, List<String>> children = new LinkedHashMap<>();
        this.jdbc.query(
                "SELECT id, parent_id FROM dispatch_invocation WHERE root_id = ?"
                        + " ORDER BY step_index, group_position, created_at, id",
                rs -> {
                    String parent = rs.getString("parent_id");
                    children.computeIfAbsent(parent != null ? parent : "", p -> new ArrayList<>())
                            .add(rs.getString("id"));
                },
                rootId);
        List<InvocationInfo> tree = new ArrayList<>();
        Deque<String> next = new ArrayDeque<>(List.of(rootId));
        while (!next.isEmpty()) {
            String id = next.removeFirst();
            this.engine.describe(DispatchId.of(id)).ifPresent(tree::add);
            next.addAll(children.getOrDefault(id, List.of()));
        }
        return tree;
    }

    /**
     * The root's recorded steps and outcomes as JSON, for {@link #replay}: keep the histories of a few production
     * runs next to your tests and replay them before a deploy.
     *
     * @throws IllegalArgumentException if there is no such invocation
     */
    public String exportHistory(DispatchId root) {
        return this.histories.export(rootOf(root));
    }

    /**
     * Runs the recorded root's function on today's code against {@code history}: every durable call it makes is
     * answered from the history, nothing is recorded and no call runs. Returns normally when today's code makes the
     * same durable calls, in the same order, as far as the history goes (an unfinished run could resume).
     *
     * @throws NonDeterminismException where today's code makes other durable calls than the history holds
     * @throws IllegalArgumentException if the history is not one {@link #exportHistory} wrote, or names a function
     *     this application does not have
     */
    public void replay(String history) {
        this.histories.replay(history);
    }

    private void settle() {
        await(
                SETTLE_TIMEOUT,
                () -> Objects.equals(
                        this.jdbc.queryForObject(
                                "SELECT COUNT(*) FROM dispatch_invocation WHERE status = 'RUNNING'"
                                        + " OR (status = 'PENDING' AND next_attempt_at <= ?)",
                                Long.class,
                                at(now())),
                        0L),
                () -> "Dispatch did not settle (something still runs or is due) within " + SETTLE_TIMEOUT,
                null);
    }

    private @Nullable Instant nextDue(Instant now) {
        Instant pending = first(
                "SELECT next_attempt_at FROM dispatch_invocation WHERE status = 'PENDING' AND next_attempt_at > ?"
                        + " ORDER BY next_attempt_at",
                now);
        Instant deadline = first(
                "SELECT deadline_at FROM dispatch_invocation WHERE " + UNFINISHED + " AND deadline_at > ?"
                        + " ORDER BY deadline_at",
                now);
        Instant tick = first(
                "SELECT next_tick FROM dispatch_schedule WHERE paused = FALSE AND next_tick > ? ORDER BY next_tick",
                now);
        return earliest(earliest(pending, deadline), tick);
    }

    private static @Nullable Instant earliest(@Nullable Instant a, @Nullable Instant b) {
        return (a == null || (b != null && b.isBefore(a))) ? b : a;
    }

    private @Nullable Instant first(String sql, Instant after) {
        List<Instant> times = this.firstRow.query(
                sql, (rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant(), at(after));
        return times.isEmpty() ? null : times.get(0);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private String rootOf(DispatchId id) {
        return this.engine
                .describe(id)
                .map(info -> info.rootId().value())
                .orElseThrow(() -> new IllegalArgumentException("No invocation " + id));
    }

    private long count(@Nullable String rootId) {
        Long n = (rootId != null)
                ? this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE root_id = ? AND " + UNFINISHED,
                        Long.class,
                        rootId)
                : this.jdbc.queryForObject("SELECT COUNT(*) FROM dispatch_invocation WHERE " + UNFINISHED, Long.class);
        return (n != null) ? n : 0;
    }

    private void await(Duration timeout, BooleanSupplier done, Supplier<String> what, @Nullable String rootId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = Duration.ofMillis(2).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what.get() + "; unfinished: " + unfinished(rootId));
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, Duration.ofMillis(50).toNanos());
        }
    }

    private List<String> unfinished(@Nullable String rootId) {
        String where = UNFINISHED + ((rootId != null) ? " AND root_id = ?" : "");
        Object[] args = (rootId != null) ? new Object[] {rootId} : new Object[0];
        return this.jdbc
                .query(
                        "SELECT id, function_name, status, attempts, next_attempt_at, error_type, error_message"
                                + " FROM dispatch_invocation WHERE " + where + " ORDER BY created_at, id",
                        (rs, i) ->
                                rs.getString("id") + " " + rs.getString("function_name") + " " + rs.getString("status")
                                        + " (attempts " + rs.getInt("attempts") + ", due "
                                        + rs.getObject("next_attempt_at", OffsetDateTime.class)
                                                .toInstant()
                                        + (rs.getString("error_type") != null
                                                ? ", last error " + rs.getString("error_type") + ": "
                                                        + abbreviate(rs.getString("error_message"))
                                                : "")
                                        + ")",
                        args)
                .stream()
                .limit(20)
                .toList();
    }

    private static String abbreviate(@Nullable String message) {
        return (message == null || message.length() <= 200) ? String.valueOf(message) : message.substring(0, 200) + "…";
    }
}
