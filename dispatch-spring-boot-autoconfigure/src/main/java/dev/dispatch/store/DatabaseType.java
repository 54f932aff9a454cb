package dev.dispatch.store;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.log.LogMessage;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * The databases the store runs on, detected once at startup from the connection's metadata; each has the
 * {@link Dialect} that holds what the store does differently on it.
 */
public enum DatabaseType {

    /** H2 2.x. */
    H2("h2", "H2 2.x"),

    /** PostgreSQL 12 and later. */
    POSTGRESQL("postgresql", "PostgreSQL 12+"),

    /** MySQL 8.0 and later, and MariaDB 10.6 and later: one dialect, one schema. */
    MYSQL("mysql", "MySQL 8.0+ or MariaDB 10.6+");

    /** The databases and versions supported, as a sentence names them. */
    public static final String SUPPORTED = "H2 2.x, PostgreSQL 12+, MySQL 8.0+ and MariaDB 10.6+";

    private static final Log logger = LogFactory.getLog(DatabaseType.class);

    /** How long the startup waits for the database to answer before it gives up. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    private final String vendor;

    private final String description;

    private final Dialect dialect;

    DatabaseType(String vendor, String description) {
        this.vendor = vendor;
        this.description = description;
        this.dialect = switch (vendor) {
            case "h2" -> new H2Dialect();
            case "postgresql" -> new PostgresDialect();
            default -> new MysqlDialect();
        };
    }

    /**
     * The name of this database's folder of migrations ({@code classpath:db/dispatch/migration/<vendor>}) and of its
     * schema script ({@code schema-<vendor>.sql}).
     */
    public String vendor() {
        return this.vendor;
    }

    /** The database and the versions supported, e.g. {@code "PostgreSQL 12+"}. */
    public String description() {
        return this.description;
    }

    Dialect dialect() {
        return this.dialect;
    }

    /** An SQL expression for the minute a time column falls in (for counts per minute). */
    public String minuteOf(String column) {
        return this.dialect.minuteOf(column);
    }

    /** The isolation level (a {@code TransactionDefinition} constant) the engine's own transactions use here. */
    public int isolationLevel() {
        return this.dialect.isolationLevel();
    }

    /** How this node hears of due work other nodes record on this database. */
    public ReadySignals readySignals(DataSource dataSource) {
        return this.dialect.readySignals(dataSource);
    }

    /**
     * The database behind {@code dataSource}. Asks again, with a warning each time, while the database does not answer
     * (it may be starting beside the application), for up to two minutes.
     *
     * @throws StoreDatabaseException if the database, or its version, is not supported
     */
    public static DatabaseType detect(DataSource dataSource) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                Product product = JdbcUtils.extractDatabaseMetaData(dataSource, Product::of);
                return product.type();
            } catch (MetaDataAccessException ex) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(
                            "Dispatch could not reach its database within " + PATIENCE.toSeconds() + " s", ex);
                }
                logger.warn(
                        LogMessage.format(
                                "Dispatch could not reach its database to detect which it is (attempt %d); trying again",
                                attempt),
                        ex);
                try {
                    Thread.sleep(Math.min(5_000, 500L * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for Dispatch's database", ex);
                }
            }
        }
    }

    /**
     * Checks that Dispatch's tables exist.
     *
     * @throws StoreDatabaseException naming the tables missing
     */
    public void checkTables(DataSource dataSource) {
        List<String> missing = new ArrayList<>();
        for (String table : List.of("dispatch_invocation", "dispatch_call_group")) {
            try {
                boolean exists = JdbcUtils.extractDatabaseMetaData(dataSource, metaData -> hasTable(metaData, table));
                if (!exists) {
                    missing.add(table);
                }
            } catch (MetaDataAccessException ex) {
                throw new IllegalStateException("Dispatch could not read its database's tables", ex);
            }
        }
        if (!missing.isEmpty()) {
            throw StoreDatabaseException.missingTables(this, productName(dataSource), missing);
        }
    }

    private static boolean hasTable(DatabaseMetaData metaData, String table) throws SQLException {
        // the current catalog and schema only: the same tables of another application's database do not count
        String catalog = metaData.getConnection().getCatalog();
        String schema = metaData.getConnection().getSchema();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (var tables = metaData.getTables(catalog, schema, name, new String[] {"TABLE", "BASE TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String productName(DataSource dataSource) {
        try {
            return JdbcUtils.extractDatabaseMetaData(
                    dataSource,
                    metaData -> metaData.getDatabaseProductName() + " " + metaData.getDatabaseProductVersion());
        } catch (MetaDataAccessException ex) {
            return "(unknown)";
        }
    }

    /** A database product and version as its driver names them. */
    private record Product(String name, String version) {

        static Product of(DatabaseMetaData metaData) throws SQLException {
            return new Product(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion());
        }

        DatabaseType type() {
            String lower = this.name.toLowerCase(Locale.ROOT);
            // MySQL's driver names a MariaDB server "MySQL"; its version says MariaDB (after "5.5.5-" on older ones)
            boolean mariadb = lower.contains("mariadb") || this.version.contains("MariaDB");
            int[] version = version(this.version.replaceFirst("^5\\.5\\.5-", ""));
            DatabaseType type;
            boolean supported;
            if (lower.equals("h2")) {
                type = H2;
                supported = version[0] >= 2;
            } else if (lower.equals("postgresql")) {
                type = POSTGRESQL;
                supported = version[0] >= 12;
            } else if (mariadb) {
                type = MYSQL;
                supported = version[0] > 10 || (version[0] == 10 && version[1] >= 6);
            } else if (lower.equals("mysql")) {
                type = MYSQL;
                supported = version[0] >= 8;
            } else {
                type = null;
                supported = false;
            }
            if (type == null || !supported) {
                throw StoreDatabaseException.unsupported((mariadb ? "MariaDB" : this.name) + " " + this.version);
            }
            return type;
        }

        private static int[] version(String text) {
            Matcher matcher = VERSION.matcher(text);
            return matcher.find()
                    ? new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))}
                    : new int[] {0, 0};
        }
    }
}
