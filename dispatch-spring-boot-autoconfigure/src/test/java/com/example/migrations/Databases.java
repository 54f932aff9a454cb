package com.example.migrations;

import com.example.support.MariadbDatabase;
import com.example.support.PostgresDatabase;
import java.util.UUID;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** A fresh, empty database of each supported kind, dropped on close (skipped where no server answers). */
enum Databases {
    H2("h2"),
    POSTGRESQL("postgresql"),
    MARIADB("mysql");

    /** The directory of its migrations and the platform of its schema script. */
    final String platform;

    Databases(String platform) {
        this.platform = platform;
    }

    Fresh create() {
        return switch (this) {
            case H2 ->
                new Fresh("jdbc:h2:mem:migrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", () -> {});
            case POSTGRESQL -> {
                PostgresDatabase database = PostgresDatabase.create();
                yield new Fresh(database.url(), PostgresDatabase.USER, PostgresDatabase.PASSWORD, database::drop);
            }
            case MARIADB -> {
                MariadbDatabase database = MariadbDatabase.create();
                yield new Fresh(database.url(), MariadbDatabase.USER, MariadbDatabase.PASSWORD, database::drop);
            }
        };
    }

    /** One fresh database. */
    record Fresh(String url, String user, String password, Runnable drop) implements AutoCloseable {

        SimpleDriverDataSource dataSource() {
            SimpleDriverDataSource dataSource = new SimpleDriverDataSource();
            dataSource.setUrl(this.url);
            dataSource.setUsername(this.user);
            dataSource.setPassword(this.password);
            try {
                dataSource.setDriver(java.sql.DriverManager.getDriver(this.url));
            } catch (java.sql.SQLException ex) {
                throw new IllegalStateException(ex);
            }
            return dataSource;
        }

        /** The properties that point an application at it and keep the suite's own database settings away. */
        String[] properties(String... more) {
            java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(
                    "--spring.datasource.url=" + this.url,
                    "--spring.datasource.username=" + this.user,
                    "--spring.datasource.password=" + this.password,
                    "--spring.datasource.hikari.minimum-idle=1",
                    "--dispatch.test.shared-database=true",
                    "--spring.jpa.hibernate.ddl-auto=validate"));
            for (String property : more) {
                all.add("--" + property);
            }
            return all.toArray(String[]::new);
        }

        @Override
        public void close() {
            this.drop.run();
        }
    }
}
