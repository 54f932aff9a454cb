package com.example.shop.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.shop.Client;
import com.example.shop.Directory;
import com.example.shop.Invoicing;
import com.example.shop.Ledger;
import com.example.shop.Notifications;
import com.example.shop.ShopApplication;
import com.example.support.PostgresDatabase;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The engine on PostgreSQL: the shipped schema validates against the entities (Hibernate {@code validate}), and the
 * seed's fan-out and fan-in run with retries. Each run works in a database of its own.
 */
class PostgresEngineTests {

    private static PostgresDatabase database;

    private static ConfigurableApplicationContext context;

    @BeforeAll
    static void start() {
        database = PostgresDatabase.create();
        context = SpringApplication.run(
                ShopApplication.class,
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + PostgresDatabase.USER,
                "--spring.datasource.password=" + PostgresDatabase.PASSWORD,
                "--dispatch.jdbc.initialize-schema=always",
                "--spring.jpa.hibernate.ddl-auto=validate");
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void theSeedsFanOutRunsOnPostgres() {
        Ledger ledger = context.getBean(Ledger.class);
        ledger.reset();
        context.getBean(Directory.class).setUserCount(40);
        ledger.failNext("email:user7@example.com", 2);
        Dispatcher dispatcher = context.getBean(Dispatcher.class);
        Notifications notifications = context.getBean(Notifications.class);

        DispatchId id = dispatcher.dispatch(() -> notifications.notifyAllUsers());
        InvocationInfo info = dispatcher.awaitCompletion(id, Duration.ofSeconds(30));

        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        await("both e-mails sent")
                .atMost(Duration.ofSeconds(30))
                .until(() -> ledger.successes("email:user39@example.com") + ledger.successes("email:user7@example.com")
                        >= 2);
        assertThat(ledger.runs("email:user7@example.com")).isEqualTo(3);
        assertThat(ledger.successes("email:user7@example.com")).isEqualTo(1);
    }

    @Test
    void theSeedsFanInRunsOnPostgres() {
        List<Client> clients = LongStream.range(0, 25)
                .mapToObj(i -> new Client(i, "Client " + i, i + " Main Street"))
                .toList();

        List<String> uris = context.getBean(Invoicing.class).generateInvoices(clients);

        assertThat(uris).hasSize(25).first().isEqualTo("store://bucket/invoices/0.pdf");
        assertThat(uris).last().isEqualTo("store://bucket/invoices/24.pdf");
    }
}
