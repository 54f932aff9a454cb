package dev.dispatch.store;

import static dev.dispatch.store.JdbcInvocationStore.readTime;
import static dev.dispatch.store.JdbcInvocationStore.time;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The token buckets of rate-limited functions, one row each in {@code dispatch_rate_limit} shared by every node. A
 * claim locks the function's row ({@code FOR UPDATE}) in its transaction, refills it for the time since it was last
 * taken from (up to the rate's permits: the burst), claims at most as many calls as it holds whole tokens, and writes
 * back what is left. Claims of the function on other nodes wait for the row until that transaction ends, so between
 * them they never start more than the bucket gives.
 */
final class TokenBuckets {

    private final JdbcTemplate jdbc;

    private final Dialect dialect;

    TokenBuckets(JdbcTemplate jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /**
     * How many calls of the function may start now. Locks its bucket until the calling transaction ends: call it in the
     * transaction that claims, then {@link #take} what was claimed.
     */
    int available(String function, FunctionLimit limit, Instant now) {
        return (int) Math.floor(refilled(function, limit, now));
    }

    /** Takes {@code taken} tokens from the function's bucket, locked by {@link #available} in this transaction. */
    void take(String function, FunctionLimit limit, int taken, Instant now) {
        double left = Math.max(0, refilled(function, limit, now) - taken);
        this.jdbc.update(
                "UPDATE dispatch_rate_limit SET tokens = ?, updated_at = ? WHERE function_name = ?",
                left,
                time(now),
                function);
    }

    /** The tokens the bucket holds at {@code now}, reading it under a lock (made full the first time). */
    private double refilled(String function, FunctionLimit limit, Instant now) {
        List<double[]> rows = read(function);
        if (rows.isEmpty()) {
            this.dialect.insertUnlessExists(
                    this.jdbc,
                    "INSERT INTO dispatch_rate_limit (function_name, tokens, updated_at) VALUES (?, ?, ?)",
                    function,
                    (double) limit.ratePermits(),
                    time(now));
            rows = read(function);
        }
        double tokens = rows.get(0)[0];
        long elapsedMillis = Math.max(0, now.toEpochMilli() - (long) rows.get(0)[1]);
        double refill = (double) elapsedMillis * limit.ratePermits() / limit.ratePeriodMillis();
        return Math.min(limit.ratePermits(), tokens + refill);
    }

    private List<double[]> read(String function) {
        return this.jdbc.query(
                "SELECT tokens, updated_at FROM dispatch_rate_limit WHERE function_name = ? FOR UPDATE",
                (rs, row) -> new double[] {rs.getDouble(1), readTime(rs, 2).toEpochMilli()},
                function);
    }
}
