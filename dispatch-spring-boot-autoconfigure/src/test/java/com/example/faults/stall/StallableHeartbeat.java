package com.example.faults.stall;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * A stalled heartbeat, on any database: wraps the application's {@link DataSource} so that, while stalled, the
 * heartbeat's lease renewals (on the engine's timer thread) block until the stall ends, and then fail. Everything else
 * goes through: the node's leases expire while its attempts live on and the database answers them.
 */
@Component
public class StallableHeartbeat implements BeanPostProcessor {

    private static final String RENEWAL = "update dispatch_invocation set lease_expires_at";

    private volatile CountDownLatch stall = new CountDownLatch(0);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource)) {
            return bean;
        }
        return new DelegatingDataSource(dataSource) {

            @Override
            public Connection getConnection() throws SQLException {
                return stallable(super.getConnection());
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return stallable(super.getConnection(username, password));
            }
        };
    }

    void stall() {
        this.stall = new CountDownLatch(1);
    }

    void resume() {
        this.stall.countDown();
    }

    private Connection stallable(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement")
                            && args[0] instanceof String sql
                            && sql.toLowerCase(Locale.ROOT).startsWith(RENEWAL)
                            && Thread.currentThread().getName().startsWith("dispatch-timer")) {
                        stallWhileStalled();
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException ex) {
                        throw ex.getTargetException();
                    }
                });
    }

    private void stallWhileStalled() throws SQLException {
        CountDownLatch stall = this.stall;
        if (stall.getCount() == 0) {
            return;
        }
        try {
            stall.await();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        throw new SQLTransientConnectionException("Simulated stall: the lease renewal got no answer", "08006");
    }
}
