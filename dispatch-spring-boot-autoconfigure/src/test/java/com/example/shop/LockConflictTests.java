package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The database may end any of the engine's transactions as the loser of a deadlock (PostgreSQL's 40P01, MySQL's 1213,
 * H2's 40001): the long simulation run saw a lease renewal, a batch of ends and an operator's cancellation deadlock
 * each other on PostgreSQL. Such a transaction is rolled back whole; the engine runs it again instead of giving up on
 * it. Here the deadlocks are injected, as the database reports them, into the statements named (before they reach the
 * database, so nothing of them applies), and the work they belong to must go through as if nothing had happened.
 */
@SpringBootTest(properties = "dispatch.lease-duration=3s")
class LockConflictTests {

    /** The writer's statement that records a success. */
    private static final String SUCCEED = "update dispatch_invocation set status = 'succeeded'";

    /** The heartbeat's statement that renews a lease. */
    private static final String RENEW = "update dispatch_invocation set lease_expires_at";

    /** The cancellation's statement that locks the open calls of the tree. */
    private static final String LOCK_OPEN = "select id from dispatch_invocation where id in";

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Retried retried;

    @Autowired
    Ledger ledger;

    @Autowired
    Deadlocks deadlocks;

    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void reset() {
        this.deadlocks.clear();
        this.ledger.reset();
    }

    @Test
    void anEndThatLosesDeadlocksIsRecordedAndTheCallDoesNotRunAgain() {
        this.deadlocks.arm(SUCCEED, 3);

        DispatchId id = this.dispatcher.dispatch(() -> this.retried.count("deadlocked-end"));

        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30)).status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.deadlocks.injected(SUCCEED)).as("deadlocks injected").isEqualTo(3);
        assertThat(this.ledger.runs("count:deadlocked-end"))
                .as("runs of the call whose end lost three deadlocks")
                .isOne();
        assertThat(attempts(id)).isOne();
    }

    @Test
    void aLeaseRenewalThatLosesDeadlocksRenewsTheLeaseAndTheCallDoesNotRunAgain() {
        this.ledger.closeGate("renewed");
        DispatchId id = this.dispatcher.dispatch(() -> this.retried.gated("renewed"));
        Awaitility.await("the call waits at its gate")
                .atMost(Duration.ofSeconds(30))
                .until(() -> this.ledger.runs("gated:renewed") == 1);

        // three deadlocks in a row: three beats of a lease of three beats, had each beat given up on its renewal
        this.deadlocks.arm(RENEW, 3);
        Awaitility.await("three renewals lost a deadlock and one went through")
                .atMost(Duration.ofSeconds(30))
                .until(() -> this.deadlocks.injected(RENEW) == 3 && this.deadlocks.passed(RENEW) > 0);
        this.ledger.openGate("renewed");

        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30)).status())
                .isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.ledger.runs("gated:renewed"))
                .as("runs of the call whose lease renewals lost three deadlocks")
                .isOne();
        assertThat(attempts(id)).isOne();
    }

    @Test
    void aCancellationThatLosesDeadlocksCancelsTheTree() {
        this.ledger.closeGate("cancelled");
        DispatchId id = this.dispatcher.dispatch(() -> this.retried.gated("cancelled"));
        Awaitility.await("the call waits at its gate")
                .atMost(Duration.ofSeconds(30))
                .until(() -> this.ledger.runs("gated:cancelled") == 1);
        this.deadlocks.arm(LOCK_OPEN, 2);

        assertThat(this.dispatcher.cancel(id)).as("calls cancelled").isOne();

        assertThat(this.deadlocks.injected(LOCK_OPEN)).as("deadlocks injected").isEqualTo(2);
        assertThat(this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30)).status())
                .isEqualTo(InvocationStatus.CANCELLED);
    }

    private int attempts(DispatchId id) {
        return this.jdbc.queryForObject(
                "SELECT attempts FROM dispatch_invocation WHERE id = ?", Integer.class, id.value());
    }

    @TestConfiguration
    static class Injecting {

        @Bean
        static Deadlocks deadlocks() {
            return new Deadlocks();
        }
    }

    /**
     * Wraps the application's data source: while armed for a statement, preparing it fails as a deadlock's loser does
     * ({@code SQLState} 40P01), a number of times; each later one is counted as passed.
     */
    static class Deadlocks implements BeanPostProcessor {

        private final Map<String, AtomicInteger> armed = new ConcurrentHashMap<>();

        private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();

        private final Map<String, AtomicInteger> passed = new ConcurrentHashMap<>();

        void arm(String statement, int times) {
            this.injected.put(statement, new AtomicInteger());
            this.passed.put(statement, new AtomicInteger());
            this.armed.put(statement, new AtomicInteger(times));
        }

        int injected(String statement) {
            AtomicInteger count = this.injected.get(statement);
            return (count != null) ? count.get() : 0;
        }

        int passed(String statement) {
            AtomicInteger count = this.passed.get(statement);
            return (count != null) ? count.get() : 0;
        }

        void clear() {
            this.armed.clear();
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof DataSource dataSource) || bean instanceof DelegatingDataSource) {
                return bean;
            }
            return new DelegatingDataSource(dataSource) {

                @Override
                public Connection getConnection() throws SQLException {
                    return deadlocking(super.getConnection());
                }
            };
        }

        private Connection deadlocking(Connection connection) {
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("prepareStatement") && args[0] instanceof String sql) {
                            maybeDeadlock(sql);
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException ex) {
                            throw ex.getTargetException();
                        }
                    });
        }

        private void maybeDeadlock(String sql) throws SQLException {
            String normalized =
                    sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
            for (Map.Entry<String, AtomicInteger> entry : this.armed.entrySet()) {
                if (!normalized.startsWith(entry.getKey())
                        || (entry.getKey().equals(LOCK_OPEN) && !normalized.endsWith("for update"))) {
                    continue;
                }
                if (entry.getValue().getAndDecrement() > 0) {
                    this.injected.get(entry.getKey()).incrementAndGet();
                    throw new SQLException("deadlock detected (injected by the test)", "40P01");
                }
                this.passed.get(entry.getKey()).incrementAndGet();
            }
        }
    }
}
