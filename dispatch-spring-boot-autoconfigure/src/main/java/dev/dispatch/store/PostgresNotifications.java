package dev.dispatch.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} as the wake-up signal between nodes: a node that records due work (new calls, a
 * woken parent) notifies {@value #CHANNEL} when its transaction commits; every node listens on one connection of its
 * own and claims at once. The listener reconnects after a database outage; meanwhile polling carries on.
 */
public final class PostgresNotifications implements ReadySignals {

    /** The channel. */
    public static final String CHANNEL = "dispatch_ready";

    private static final Log logger = LogFactory.getLog(PostgresNotifications.class);

    private static final int WAIT_MILLIS = 500;

    private static final Duration RECONNECT = Duration.ofSeconds(2);

    private final DataSource dataSource;

    private volatile boolean running;

    private @Nullable Thread thread;

    public PostgresNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public synchronized void start(Runnable onSignal) {
        if (this.running) {
            return;
        }
        this.running = true;
        Thread listener = new Thread(() -> listen(onSignal), "dispatch-listen");
        listener.setDaemon(true);
        listener.start();
        this.thread = listener;
    }

    @Override
    public synchronized void stop() {
        this.running = false;
        Thread listener = this.thread;
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(2 * WAIT_MILLIS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void listen(Runnable onSignal) {
        while (this.running) {
            try (Connection connection = this.dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (this.running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        onSignal.run();
                    }
                }
            } catch (SQLException ex) {
                if (this.running) {
                    logger.warn("Lost the PostgreSQL LISTEN connection; polling goes on, reconnecting in "
                            + RECONNECT.toSeconds() + " s: " + ex.getMessage());
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT.toMillis());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            this.running = false;
        }
    }
}
