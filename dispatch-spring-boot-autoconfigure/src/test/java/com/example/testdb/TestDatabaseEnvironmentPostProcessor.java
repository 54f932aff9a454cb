package com.example.testdb;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/** Points each Spring context of the test suite at a fresh database when the run is on PostgreSQL or MariaDB. */
public class TestDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if ((!TestDatabase.isPostgres() && !TestDatabase.isMariadb())
                || environment.containsProperty("crash.calls")
                || environment.containsProperty(SharedDatabase.MARKER)) {
            return;
        }
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "dispatchTestDatabase",
                        Map.of(
                                "spring.datasource.url",
                                TestDatabase.createDatabase(),
                                "spring.datasource.username",
                                TestDatabase.user(),
                                "spring.datasource.password",
                                TestDatabase.password(),
                                "dispatch.jdbc.initialize-schema",
                                "always",
                                // the suite keeps a dozen contexts open on one server (max_connections 100): idle
                                // ones give their connections back instead of holding ten each
                                "spring.datasource.hikari.minimum-idle",
                                "1",
                                "spring.datasource.hikari.idle-timeout",
                                "10000")));
    }
}
