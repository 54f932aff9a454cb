package dev.dispatch.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** Connection pools and small SQL helpers shared by the peers. */
final class Db {

    private Db() {}

    static HikariDataSource pool(Config config, int size) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        return new HikariDataSource(hikari);
    }

    static long count(DataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static void execute(DataSource dataSource, String... sql) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            for (String one : sql) {
                s.execute(one);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(String.join("; ", sql), e);
        }
    }

    /** Polls every {@code every} until the condition holds; false after {@code timeout}. */
    static boolean await(BooleanSupplier condition, Duration every, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(every.toMillis());
        }
        return true;
    }
}
