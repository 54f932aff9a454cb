package dev.dispatch.autoconfigure;

import dev.dispatch.store.DatabaseType;
import dev.dispatch.store.StoreDatabaseException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup stopped because Dispatch cannot use the database: which database it is, and either the databases
 * supported or how to create the tables (the property, the script, the migrations for Flyway and Liquibase).
 */
final class StoreDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<StoreDatabaseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StoreDatabaseException cause) {
        DatabaseType type = cause.type();
        if (type == null) {
            return new FailureAnalysis(
                    "Dispatch for Spring Boot does not support the application's database, " + cause.database() + ".",
                    "Use one of the databases Dispatch supports (" + DatabaseType.SUPPORTED + "), or turn Dispatch"
                            + " off with dispatch.enabled=false.",
                    cause);
        }
        String vendor = type.vendor();
        return new FailureAnalysis(
                "Dispatch's tables " + String.join(", ", cause.missingTables()) + " do not exist in the application's"
                        + " database, " + cause.database() + ". Dispatch creates them itself only in an embedded"
                        + " database unless told otherwise (dispatch.jdbc.initialize-schema=embedded by default).",
                "Create the tables in one of these ways:\n"
                        + "\t- let Dispatch create them at startup: set dispatch.jdbc.initialize-schema=always (it runs"
                        + " classpath:dev/dispatch/store/schema-" + vendor + ".sql, which is safe to run again);\n"
                        + "\t- with Flyway: add classpath:db/dispatch/migration/" + vendor
                        + " to spring.flyway.locations (or classpath:db/dispatch/migration/{vendor});\n"
                        + "\t- with Liquibase: include classpath:db/dispatch/changelog.xml in your changelog.",
                cause);
    }
}
