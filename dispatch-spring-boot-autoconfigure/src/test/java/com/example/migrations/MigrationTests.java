package com.example.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * An application that owns its schema applies Dispatch's versioned migrations with Flyway or Liquibase, as the
 * documentation says, and the engine runs on the result with {@code dispatch.jdbc.initialize-schema=never} and Hibernate
 * validating its entities; the migrations and the schema script make the same tables; a database made by an older
 * version is brought up to the current one by either.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationTests {

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aStartOnTablesThatExistRunsNoStatementThatFails(Databases kind, CapturedOutput output) {
        try (Databases.Fresh database = kind.create()) {
            start(database.properties("dispatch.jdbc.initialize-schema=always")).close();
            int before = output.length();
            try (ConfigurableApplicationContext context =
                    start(database.properties("dispatch.jdbc.initialize-schema=always"))) {
                assertThat(context.getBean(Greeter.class).greet("Di")).isEqualTo("Hello, Di");
            }
            // MySQL has no CREATE INDEX IF NOT EXISTS: a statement that failed on an index that exists is passed
            // over, but its driver logs every such error as a warning, which reads as a failure to an operator
            assertThat(output.toString().substring(before))
                    .doesNotContain("Duplicate key name")
                    .doesNotContain("Duplicate column name")
                    .doesNotContain("already exists");
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void flywayWithTheShippedLocationsMakesTablesTheEngineValidatesAndRuns(Databases kind) throws Exception {
        try (Databases.Fresh database = kind.create();
                ConfigurableApplicationContext context = start(database.properties(
                        "spring.flyway.enabled=true",
                        "spring.flyway.locations=classpath:db/dispatch/migration/{vendor}",
                        "dispatch.jdbc.initialize-schema=never"))) {
            assertThat(context.getBean(Greeter.class).greet("Ada")).isEqualTo("Hello, Ada");
            JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
            assertThat(jdbc.queryForList(
                            "SELECT \"version\" FROM \"flyway_schema_history\"".replace('"', quote(kind)),
                            String.class))
                    .contains(latestVersion());
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void liquibaseWithTheShippedChangelogMakesTablesTheEngineValidatesAndRuns(Databases kind) {
        try (Databases.Fresh database = kind.create();
                ConfigurableApplicationContext context = start(database.properties(
                        "spring.liquibase.enabled=true",
                        "spring.liquibase.change-log=classpath:db/dispatch/changelog.xml",
                        "dispatch.jdbc.initialize-schema=never"))) {
            assertThat(context.getBean(Greeter.class).greet("Bo")).isEqualTo("Hello, Bo");
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void theSchemaScriptAndTheMigrationsMakeTheSameTables(Databases kind) throws Exception {
        try (Databases.Fresh byScript = kind.create();
                Databases.Fresh byMigrations = kind.create()) {
            runScript(byScript, "dev/dispatch/store/schema-" + kind.platform + ".sql");
            flyway(byMigrations, kind, null).migrate();
            assertThat(SchemaShape.of(byMigrations.dataSource())).isEqualTo(SchemaShape.of(byScript.dataSource()));
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aDatabaseOfTheFirstReleaseIsUpgradedByTheSchemaScriptAndByTheMigrations(Databases kind) throws Exception {
        try (Databases.Fresh current = kind.create();
                Databases.Fresh upgradedByScript = kind.create();
                Databases.Fresh upgradedByFlyway = kind.create()) {
            runScript(current, "dev/dispatch/store/schema-" + kind.platform + ".sql");
            SchemaShape expected = SchemaShape.of(current.dataSource());

            runScript(upgradedByScript, "db/dispatch/migration/" + kind.platform + "/V1__dispatch.sql");
            try (ConfigurableApplicationContext context =
                    start(upgradedByScript.properties("dispatch.jdbc.initialize-schema=always"))) {
                assertThat(context.getBean(Greeter.class).greet("Cy")).isEqualTo("Hello, Cy");
            }
            assertThat(SchemaShape.of(upgradedByScript.dataSource())).isEqualTo(expected);

            flyway(upgradedByFlyway, kind, "1").migrate();
            flyway(upgradedByFlyway, kind, null).migrate();
            assertThat(SchemaShape.of(upgradedByFlyway.dataSource())).isEqualTo(expected);
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(MigrationApplication.class)
                .web(WebApplicationType.NONE)
                .run(properties);
    }

    private static Flyway flyway(Databases.Fresh database, Databases kind, String target) {
        var configuration = Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations("classpath:db/dispatch/migration/" + kind.platform);
        if (target != null) {
            configuration.target(target);
        }
        return configuration.load();
    }

    private static void runScript(Databases.Fresh database, String path) throws Exception {
        try (var connection = database.dataSource().getConnection()) {
            ScriptUtils.executeSqlScript(connection, new ClassPathResource(path));
        }
    }

    /** The newest schema version shipped: the highest V<n> of the H2 migrations. */
    private static String latestVersion() throws Exception {
        int latest = 0;
        for (var resource : new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
                .getResources("classpath:db/dispatch/migration/h2/V*__*.sql")) {
            String name = resource.getFilename();
            latest = Math.max(latest, Integer.parseInt(name.substring(1, name.indexOf("__"))));
        }
        return Integer.toString(latest);
    }

    private static char quote(Databases kind) {
        return kind == Databases.MARIADB ? '`' : '"';
    }
}
