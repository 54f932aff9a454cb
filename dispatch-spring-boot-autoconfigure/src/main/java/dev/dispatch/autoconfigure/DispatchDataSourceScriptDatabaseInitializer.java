package dev.dispatch.autoconfigure;

import javax.sql.DataSource;
import org.springframework.boot.jdbc.init.PropertiesBasedDataSourceScriptDatabaseInitializer;

/**
 * Creates the invocation store's tables from the scripts shipped in the jar, as {@code dispatch.jdbc.*} says (only for
 * embedded databases by default, like Spring Batch and Quartz). The scripts are idempotent.
 */
public class DispatchDataSourceScriptDatabaseInitializer
        extends PropertiesBasedDataSourceScriptDatabaseInitializer<DispatchProperties.Jdbc> {

    public DispatchDataSourceScriptDatabaseInitializer(DataSource dataSource, DispatchProperties.Jdbc properties) {
        super(dataSource, properties);
    }
}
