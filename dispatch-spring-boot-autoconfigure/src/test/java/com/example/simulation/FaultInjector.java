package com.example.simulation;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Random;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * Faults at the JDBC level, on any database: wraps the application's {@link DataSource} so that, while armed, a
 * statement or a commit fails now and then as on a lost connection (before it reaches the database, so nothing of it
 * is applied), and the heartbeat's lease renewals stall. The harness reads through {@link #raw()}, which never fails.
 */
@Component
class FaultInjector implements BeanPostProcessor {

    private static final String RENEWAL = "update dispatch_invocation set lease_expires_at";

    private volatile DataSource raw;

    private volatile Armed armed;

    private volatile long stallUntil;

    private record Armed(Random random, double rate, int max, Path effects, int[] injected) {}

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource) || this.raw != null) {
            return bean;
        }
        this.raw = dataSource;
        return new DelegatingDataSource(dataSource) {

            @Override
            public Connection getConnection() throws SQLException {
                return faulty(super.getConnection());
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return faulty(super.getConnection(username, password));
            }
        };
    }

    /** The application's data source without faults: what the harness and the functions' bookkeeping read through. */
    DataSource raw() {
        return this.raw;
    }

    /** From now on statements fail at the plan's rate, up to its number, each logged to the scenario's effects. */
    void arm(Plan plan, Path effects) {
        this.armed = new Armed(
                new Random(plan.seed() ^ 0x5DEECE66DL),
                plan.faults().jdbcRate(),
                plan.faults().maxJdbcFaults(),
                effects,
                new int[1]);
    }

    void disarm() {
        this.armed = null;
        this.stallUntil = 0;
    }

    /** The heartbeat's renewals block for {@code millis}, then fail: the node's leases expire while it lives on. */
    void stallHeartbeat(Path effects, int millis) {
        Effects.append(effects, Effects.FAULT, "heartbeat-stall");
        Totals.fault("heartbeat-stall");
        this.stallUntil = System.nanoTime() + millis * 1_000_000L;
    }

    private void maybeFail(String kind, String sql) throws SQLException {
        if (sql != null && sql.toLowerCase(Locale.ROOT).startsWith(RENEWAL)) {
            long wait = this.stallUntil - System.nanoTime();
            if (wait > 0) {
                try {
                    // the injected fault: a lease renewal stalls in real time, as a stalled heartbeat does
                    Thread.sleep(wait / 1_000_000L + 1);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                throw new SQLTransientConnectionException("Simulated fault: the heartbeat stalled", "08006");
            }
        }
        Armed armed = this.armed;
        if (armed == null) {
            return;
        }
        synchronized (armed) {
            if (armed.injected()[0] >= armed.max() || armed.random().nextDouble() >= armed.rate()) {
                return;
            }
            armed.injected()[0]++;
        }
        Effects.append(armed.effects(), Effects.FAULT, kind);
        Totals.fault(kind);
        throw new SQLTransientConnectionException("Simulated fault: connection lost at " + kind, "08006");
    }

    private Connection faulty(Connection connection) {
        return proxy(Connection.class, connection, (target, method, args) -> {
            if (method.getName().equals("commit")) {
                maybeFail("jdbc-commit", null);
            }
            Object result = call(target, method, args);
            if (result instanceof CallableStatement statement) {
                return statement(CallableStatement.class, statement, (String) args[0]);
            }
            if (result instanceof PreparedStatement statement) {
                return statement(PreparedStatement.class, statement, (String) args[0]);
            }
            if (result instanceof Statement statement) {
                return statement(Statement.class, statement, null);
            }
            return result;
        });
    }

    private <S extends Statement> S statement(Class<S> type, S statement, String preparedSql) {
        return proxy(type, statement, (target, method, args) -> {
            if (method.getName().startsWith("execute")) {
                String sql =
                        (preparedSql != null) ? preparedSql : (args != null && args.length > 0) ? (String) args[0] : "";
                maybeFail("jdbc-statement", sql);
            }
            return call(target, method, args);
        });
    }

    @FunctionalInterface
    private interface Handler<T> {
        Object handle(T target, Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler invocation = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "faulty " + target;
                };
            }
            return handler.handle(target, method, args);
        };
        return (T) Proxy.newProxyInstance(FaultInjector.class.getClassLoader(), new Class<?>[] {type}, invocation);
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }
}
