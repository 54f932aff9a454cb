package com.example.testdb;

import com.example.support.MariadbDatabase;
import com.example.support.PostgresDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One database for several Spring contexts of a test: nodes that share it at once, or one node stopped and started
 * again (a restart). An H2 file under {@code target/} on the default run, a fresh PostgreSQL or MariaDB database on
 * their runs (or when asked for explicitly); dropped or deleted on {@link #close()}.
 */
public final class SharedDatabase implements AutoCloseable {

    /** Tells the suite's environment post-processor to leave this context's data source alone. */
    static final String MARKER = "dispatch.test.shared-database";

    private final String url;

    private final String user;

    private final String password;

    private final PostgresDatabase postgres;

    private final MariadbDatabase mariadb;

    private final Path h2Directory;

    private SharedDatabase(
            String url,
            String user,
            String password,
            PostgresDatabase postgres,
            MariadbDatabase mariadb,
            Path h2Directory) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.postgres = postgres;
        this.mariadb = mariadb;
        this.h2Directory = h2Directory;
    }

    /** A database of the suite's kind: H2 file, or PostgreSQL or MariaDB on their runs. */
    public static SharedDatabase create() {
        if (TestDatabase.isMariadb()) {
            return mariadb();
        }
        return TestDatabase.isPostgres() ? postgres() : h2();
    }

    /** A fresh MariaDB database (the test is skipped without a server). */
    public static SharedDatabase mariadb() {
        MariadbDatabase database = MariadbDatabase.create();
        return new SharedDatabase(database.url(), MariadbDatabase.USER, MariadbDatabase.PASSWORD, null, database, null);
    }

    /** A fresh PostgreSQL database (the test is skipped without a server). */
    public static SharedDatabase postgres() {
        PostgresDatabase database = PostgresDatabase.create();
        return new SharedDatabase(
                database.url(), PostgresDatabase.USER, PostgresDatabase.PASSWORD, database, null, null);
    }

    /** A fresh H2 file database under {@code target/}. */
    public static SharedDatabase h2() {
        Path directory = Path.of("target", "shared-h2", UUID.randomUUID().toString());
        // async: its channels survive interrupts (attempts past a deadline are interrupted, maybe inside H2 file I/O)
        String url = "jdbc:h2:async:" + directory.toAbsolutePath().resolve("db") + ";WRITE_DELAY=0";
        return new SharedDatabase(url, "sa", "", null, null, directory);
    }

    public boolean isPostgres() {
        return this.postgres != null;
    }

    /** Starts a node of {@code application} on this database, without a web server. */
    public ConfigurableApplicationContext start(Class<?> application, String... properties) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + this.url,
                "--spring.datasource.username=" + this.user,
                "--spring.datasource.password=" + this.password,
                "--dispatch.jdbc.initialize-schema=always",
                "--spring.datasource.hikari.minimum-idle=1",
                "--" + MARKER + "=true"));
        for (String property : properties) {
            args.add("--" + property);
        }
        return new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    @Override
    public void close() {
        if (this.postgres != null) {
            this.postgres.drop();
        }
        if (this.mariadb != null) {
            this.mariadb.drop();
        }
        if (this.h2Directory != null && Files.isDirectory(this.h2Directory)) {
            try (Stream<Path> files = Files.walk(this.h2Directory)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException ex) {
                // leftovers under target/ are harmless
            }
        }
    }
}
