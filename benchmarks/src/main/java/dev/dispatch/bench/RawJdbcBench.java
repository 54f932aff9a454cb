package dev.dispatch.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The floor: the least write work any durable engine must do for n calls. Each call is a row inserted (the call
 * recorded) and later updated (its outcome recorded), each write committed durably. Variant {@code batched}: rows
 * inserted in JDBC batches of 1,000 per transaction, then updated in batches of 1,000 per transaction. Variant
 * {@code per-row}: one transaction per insert and one per update, on 4 threads.
 */
final class RawJdbcBench {

    static final int BATCH = 1_000;

    static final int THREADS = 4;

    private RawJdbcBench() {}

    static Result run(Config config) throws Exception {
        Executions.reset(config.n());
        try (HikariDataSource dataSource = Db.pool(config, THREADS)) {
            Db.execute(
                    dataSource,
                    "CREATE TABLE bench_call (id BIGINT NOT NULL PRIMARY KEY, function_name VARCHAR(255) NOT NULL,"
                            + " arguments VARCHAR(255) NOT NULL, status VARCHAR(16) NOT NULL, result VARCHAR(255),"
                            + " created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL)");
            long start = System.nanoTime();
            long updated = "per-row".equals(config.variant())
                    ? perRow(dataSource, config.n())
                    : batched(dataSource, config.n());
            long nanos = System.nanoTime() - start;
            long done = Db.count(dataSource, "SELECT COUNT(*) FROM bench_call WHERE status = 'SUCCEEDED'");
            String wrong = Executions.check();
            boolean verified = wrong == null && updated == config.n() && done == config.n();
            return Result.of(config, nanos, verified, wrong == null ? "succeeded=" + done : wrong);
        }
    }

    private static long batched(HikariDataSource dataSource, int n) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_call"
                    + " (id, function_name, arguments, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < n; i++) {
                    bindInsert(insert, i);
                    insert.addBatch();
                    if ((i + 1) % BATCH == 0 || i == n - 1) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
            }
            long updated = 0;
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE bench_call SET status = 'SUCCEEDED', result = ?, updated_at = ? WHERE id = ?"
                            + " AND status = 'PENDING'")) {
                for (int i = 0; i < n; i++) {
                    Executions.record(i);
                    bindUpdate(update, i);
                    update.addBatch();
                    if ((i + 1) % BATCH == 0 || i == n - 1) {
                        for (int count : update.executeBatch()) {
                            updated += count;
                        }
                        c.commit();
                    }
                }
            }
            return updated;
        }
    }

    private static long perRow(HikariDataSource dataSource, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Long>> inserts = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                inserts.add(pool.submit(() -> {
                    try (Connection c = dataSource.getConnection();
                            PreparedStatement insert = c.prepareStatement("INSERT INTO bench_call (id, function_name,"
                                    + " arguments, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                        c.setAutoCommit(true);
                        for (int i = first; i < n; i += THREADS) {
                            bindInsert(insert, i);
                            insert.executeUpdate();
                        }
                    }
                    return 0L;
                }));
            }
            for (Future<Long> f : inserts) {
                f.get();
            }
            List<Future<Long>> updates = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                updates.add(pool.submit(() -> {
                    long updated = 0;
                    try (Connection c = dataSource.getConnection();
                            PreparedStatement update = c.prepareStatement("UPDATE bench_call SET status = 'SUCCEEDED',"
                                    + " result = ?, updated_at = ? WHERE id = ? AND status = 'PENDING'")) {
                        c.setAutoCommit(true);
                        for (int i = first; i < n; i += THREADS) {
                            Executions.record(i);
                            bindUpdate(update, i);
                            updated += update.executeUpdate();
                        }
                    }
                    return updated;
                }));
            }
            long updated = 0;
            for (Future<Long> f : updates) {
                updated += f.get();
            }
            return updated;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void bindInsert(PreparedStatement insert, int i) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        insert.setLong(1, i);
        insert.setString(2, "children.noop");
        insert.setString(3, "[" + i + "]");
        insert.setString(4, "PENDING");
        insert.setTimestamp(5, now);
        insert.setTimestamp(6, now);
    }

    private static void bindUpdate(PreparedStatement update, int i) throws SQLException {
        update.setString(1, Integer.toString(i));
        update.setTimestamp(2, Timestamp.from(Instant.now()));
        update.setLong(3, i);
    }
}
