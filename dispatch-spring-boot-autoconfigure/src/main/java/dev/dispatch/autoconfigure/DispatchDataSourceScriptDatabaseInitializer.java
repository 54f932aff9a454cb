package dev.dispatch.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.EncodedResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * Creates the invocation store's tables from the scripts shipped in the jar, as {@code dispatch.jdbc.*} says (only for
 * embedded databases by default, like Spring Batch and Quartz). The scripts are idempotent; an error in one stops the
 * startup ({@code dispatch.jdbc.continue-on-error} is {@code false} by default, unlike Boot's own scripts, so a table
 * that could not be made is not discovered later by every call).
 */
public class DispatchDataSourceScriptDatabaseInitializer
        extends PropertiesBasedDataSourceScriptDatabaseInitializer<DispatchProperties.Jdbc> {

    private static final Log logger = LogFactory.getLog(DispatchDataSourceScriptDatabaseInitializer.class);

    /** Nodes starting at once on a new database may race to create the same table or index: a few tries settle it. */
    private static final int ATTEMPTS = 3;

    /** MySQL's and MariaDB's errors for an index, a column or a table that exists already (ER_DUP_KEYNAME, ...). */
    private static final Set<Integer> MYSQL_EXISTS = Set.of(1050, 1060, 1061);

    private static final Pattern CREATE_INDEX =
            Pattern.compile("\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+(\\w+)\\s+ON\\s+(\\w+)", Pattern.CASE_INSENSITIVE);

    private static final Pattern ADD_COLUMN =
            Pattern.compile("\\s*ALTER\\s+TABLE\\s+(\\w+)\\s+ADD\\s+COLUMN\\s+(\\w+)", Pattern.CASE_INSENSITIVE);

    public DispatchDataSourceScriptDatabaseInitializer(DataSource dataSource, DispatchProperties.Jdbc properties) {
        // MariaDB shares MySQL's script (the platform "mysql"), whichever of the two drivers the application uses
        super(dataSource, properties, Map.of(DatabaseDriver.MARIADB, "mysql"));
    }

    @Override
    protected void runScripts(Scripts scripts) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (isMysql()) {
                    runPassingOverExisting(scripts);
                } else {
                    super.runScripts(scripts);
                }
                return;
            } catch (DataAccessException ex) {
                if (attempt == ATTEMPTS) {
                    throw ex;
                }
                // Another node creating the same objects at this moment (PostgreSQL's IF NOT EXISTS is not atomic
                // against a concurrent CREATE): once it has, the idempotent script runs through.
                logger.info("Dispatch's schema script failed ("
                        + ex.getMostSpecificCause().getMessage()
                        + "); trying again, another node may be creating the tables");
                pause(100L * attempt + ThreadLocalRandom.current().nextLong(200));
            }
        }
    }

    /**
     * MySQL has no {@code CREATE INDEX IF NOT EXISTS} nor {@code ADD COLUMN IF NOT EXISTS}: its script creates them
     * plainly, an index or column that exists already is passed over without its statement, and a statement that fails
     * because its object exists already (made by another node meanwhile) is passed over too (only that error).
     */
    private void runPassingOverExisting(Scripts scripts) {
        DataSource dataSource = getDataSource();
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            Connection passing = passingOverExisting(connection);
            String separator =
                    (scripts.getSeparator() != null) ? scripts.getSeparator() : ScriptUtils.DEFAULT_STATEMENT_SEPARATOR;
            for (Resource script : scripts) {
                ScriptUtils.executeSqlScript(
                        passing,
                        new EncodedResource(script, scripts.getEncoding()),
                        scripts.isContinueOnError(),
                        false,
                        ScriptUtils.DEFAULT_COMMENT_PREFIXES,
                        separator,
                        ScriptUtils.DEFAULT_BLOCK_COMMENT_START_DELIMITER,
                        ScriptUtils.DEFAULT_BLOCK_COMMENT_END_DELIMITER);
            }
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private static Connection passingOverExisting(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                DispatchDataSourceScriptDatabaseInitializer.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, connection, args);
                    return (result instanceof Statement statement) ? passingOverExisting(statement) : result;
                });
    }

    private static Statement passingOverExisting(Statement statement) {
        // after a statement passed over, the script reads its results, update count and warnings: there are none
        boolean[] passedOver = {false};
        Set<String> results =
                Set.of("getUpdateCount", "getMoreResults", "getResultSet", "getWarnings", "clearWarnings");
        return (Statement) Proxy.newProxyInstance(
                DispatchDataSourceScriptDatabaseInitializer.class.getClassLoader(),
                new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (passedOver[0] && results.contains(name)) {
                        return switch (name) {
                            case "getUpdateCount" -> -1;
                            case "getMoreResults" -> false;
                            default -> null;
                        };
                    }
                    passedOver[0] = false;
                    if (name.equals("execute")
                            && args.length == 1
                            && args[0] instanceof String sql
                            && exists(statement.getConnection(), sql)) {
                        // asked first: the driver logs a statement that fails as a warning, however harmless
                        logger.debug("Exists already: " + sql);
                        passedOver[0] = true;
                        return false;
                    }
                    try {
                        return invoke(method, statement, args);
                    } catch (SQLException ex) {
                        if (name.equals("execute") && MYSQL_EXISTS.contains(ex.getErrorCode())) {
                            logger.debug("Exists already: " + args[0]);
                            passedOver[0] = true;
                            return false;
                        }
                        throw ex;
                    }
                });
    }

    /**
     * Whether the index or column a {@code CREATE INDEX} or {@code ALTER TABLE ... ADD COLUMN} makes exists already
     * (false for any other statement: it runs, and an error it meets because another node made the object meanwhile
     * is still passed over).
     */
    private static boolean exists(Connection connection, String sql) throws SQLException {
        Matcher index = CREATE_INDEX.matcher(sql);
        Matcher column = ADD_COLUMN.matcher(sql);
        String query;
        String table;
        String name;
        if (index.lookingAt()) {
            query = "SELECT COUNT(*) FROM information_schema.statistics"
                    + " WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?";
            table = index.group(2);
            name = index.group(1);
        } else if (column.lookingAt()) {
            query = "SELECT COUNT(*) FROM information_schema.columns"
                    + " WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?";
            table = column.group(1);
            name = column.group(2);
        } else {
            return false;
        }
        try (PreparedStatement select = connection.prepareStatement(query)) {
            select.setString(1, table);
            select.setString(2, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() && rows.getInt(1) > 0;
            }
        }
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    private boolean isMysql() {
        try {
            String product =
                    JdbcUtils.extractDatabaseMetaData(getDataSource(), DatabaseMetaData::getDatabaseProductName);
            return product.contains("MySQL") || product.contains("MariaDB");
        } catch (Exception ex) {
            return false;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
