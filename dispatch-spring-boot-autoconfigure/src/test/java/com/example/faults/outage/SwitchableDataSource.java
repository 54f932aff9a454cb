package com.example.faults.outage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * A database outage at the connection level, on any database: wraps the application's {@link DataSource} so that,
 * while down, every request for a connection fails as a connection to an unreachable server does. Transactions that
 * already hold a connection finish; everything that starts one (a claim, an attempt's record, a heartbeat, the
 * housekeeping) fails until the database is up again.
 */
@Component
public class SwitchableDataSource implements BeanPostProcessor {

    private volatile boolean down;

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource)) {
            return bean;
        }
        return new DelegatingDataSource(dataSource) {

            @Override
            public Connection getConnection() throws SQLException {
                refuseWhileDown();
                return super.getConnection();
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                refuseWhileDown();
                return super.getConnection(username, password);
            }
        };
    }

    void down() {
        this.down = true;
    }

    void up() {
        this.down = false;
    }

    private void refuseWhileDown() throws SQLException {
        if (this.down) {
            throw new SQLTransientConnectionException("Simulated outage: the database refuses connections", "08001");
        }
    }
}
