package dev.dispatch.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.support.MariadbDatabase;
import dev.dispatch.store.DatabaseType;
import dev.dispatch.store.StoreDatabaseException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A database Dispatch cannot use stops the startup with a message that names the database, and for missing tables the
 * property that creates them, the script and the migrations.
 */
class StoreDatabaseFailureAnalyzerTests {

    @TempDir
    Path dir;

    @Test
    void anH2FileWithoutTheTablesStopsTheStartupNamingThePropertyTheScriptAndTheMigrations() {
        String url = "jdbc:h2:" + this.dir.resolve("app").toAbsolutePath();
        FailureAnalysis analysis = analyzeStartup(url, "sa", "");
        assertThat(analysis.getDescription())
                .contains("H2 2.")
                .contains("dispatch_invocation, dispatch_call_group")
                .contains("dispatch.jdbc.initialize-schema");
        assertThat(analysis.getAction())
                .contains("dispatch.jdbc.initialize-schema=always")
                .contains("classpath:dev/dispatch/store/schema-h2.sql")
                .contains("classpath:db/dispatch/migration/h2")
                .contains("classpath:db/dispatch/changelog.xml");
    }

    @Test
    void aMariadbDatabaseWithoutTheTablesStopsTheStartupNamingTheMysqlMigrations() {
        MariadbDatabase database = MariadbDatabase.create();
        try {
            FailureAnalysis analysis = analyzeStartup(database.url(), MariadbDatabase.USER, MariadbDatabase.PASSWORD);
            assertThat(analysis.getDescription()).contains("MariaDB 1").contains("dispatch_invocation");
            assertThat(analysis.getAction())
                    .contains("classpath:dev/dispatch/store/schema-mysql.sql")
                    .contains("classpath:db/dispatch/migration/mysql");
        } finally {
            database.drop();
        }
    }

    @Test
    void anUnsupportedDatabaseIsNamedWithTheSupportedOnes() {
        SimpleDriverDataSource sqlite =
                new SimpleDriverDataSource(new org.sqlite.JDBC(), "jdbc:sqlite:" + this.dir.resolve("app.db"));
        StoreDatabaseException failure = (StoreDatabaseException) catchThrowable(() -> DatabaseType.detect(sqlite));
        FailureAnalysis analysis = new StoreDatabaseFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).contains("SQLite");
        assertThat(analysis.getAction())
                .contains("H2 2.x, PostgreSQL 12+, MySQL 8.0+ and MariaDB 10.6+")
                .contains("dispatch.enabled=false");
    }

    private static Throwable catchThrowable(Runnable runnable) {
        try {
            runnable.run();
        } catch (Throwable ex) {
            return ex;
        }
        throw new AssertionError("Expected a failure");
    }

    private static FailureAnalysis analyzeStartup(String url, String user, String password) {
        Throwable[] failure = new Throwable[1];
        assertThatThrownBy(() -> new SpringApplicationBuilder(Application.class)
                        .web(WebApplicationType.NONE)
                        .run(
                                "--spring.datasource.url=" + url,
                                "--spring.datasource.username=" + user,
                                "--spring.datasource.password=" + password,
                                "--spring.jpa.hibernate.ddl-auto=none",
                                "--dispatch.test.shared-database=true"))
                .satisfies(ex -> failure[0] = ex);
        FailureAnalysis analysis = new StoreDatabaseFailureAnalyzer().analyze(failure[0]);
        assertThat(analysis).as("analysis of %s", failure[0]).isNotNull();
        return analysis;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {}
}
