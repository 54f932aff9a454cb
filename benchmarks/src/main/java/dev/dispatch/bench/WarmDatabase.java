package dev.dispatch.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh database for a run's warm pass, beside the run's own: an H2 file next to the run's file (removed with the
 * run's directory by run.sh), or a PostgreSQL database created on the same server and dropped when closed.
 */
final class WarmDatabase implements AutoCloseable {

    private final Config config;

    private final String url;

    private final String createdDatabase;

    private WarmDatabase(Config config, String url, String createdDatabase) {
        this.config = config;
        this.url = url;
        this.createdDatabase = createdDatabase;
    }

    static WarmDatabase create(Config config) throws SQLException {
        String url = config.url();
        if (!config.server()) {
            int options = url.indexOf(';');
            String warm = options < 0 ? url + "-warm" : url.substring(0, options) + "-warm" + url.substring(options);
            return new WarmDatabase(config, warm, null);
        }
        int slash = url.lastIndexOf('/');
        int query = url.indexOf('?', slash);
        String name = (query < 0 ? url.substring(slash + 1) : url.substring(slash + 1, query)) + "_warm";
        String warm = url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query));
        execute(config, "CREATE DATABASE " + name);
        return new WarmDatabase(config, warm, name);
    }

    String url() {
        return this.url;
    }

    @Override
    public void close() throws SQLException {
        if (this.createdDatabase != null) {
            execute(this.config, "DROP DATABASE IF EXISTS " + this.createdDatabase);
        }
    }

    private static void execute(Config config, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(config.url(), config.user(), config.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
