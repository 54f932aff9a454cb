package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.shop.Crawler.Page;
import dev.dispatch.Batch;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import dev.dispatch.actuate.DispatchEndpoint;
import dev.dispatch.actuate.DispatchSummary;
import dev.dispatch.store.InvocationQueries;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code @DispatchFunction(concurrencyKey, concurrencyPerKey)}: calls with the same key value never run more than the
 * limit per key at once, calls with other values run beside them, and {@code concurrency} still caps the whole
 * function. Runs on H2, PostgreSQL and MariaDB.
 */
@SpringBootTest(properties = "management.endpoints.web.exposure.include=dispatch")
class KeyedConcurrencyTests {

    private static final List<String> DOMAINS = List.of("a.example", "b.example", "c.example");

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Crawler crawler;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DispatchEndpoint endpoint;

    @RepeatedTest(3)
    void callsWithTheSameKeyNeverRunMoreThanTheLimitPerKeyAndOtherKeysRunBeside() {
        String group = UUID.randomUUID().toString();

        runAll(24, group, this.crawler::fetch);

        for (String domain : DOMAINS) {
            assertThat(Crawler.mostRunning(group, domain))
                    .as("eight workers, eight pages of %s, two per domain", domain)
                    .isEqualTo(2);
        }
        assertThat(Crawler.mostRunning(group))
                .as("pages of different domains ran at the same time")
                .isGreaterThan(2);
    }

    @Test
    void theFunctionWideLimitStillCapsEveryKeyTogether() {
        String group = UUID.randomUUID().toString();

        runAll(18, group, this.crawler::fetchCapped);

        for (String domain : DOMAINS) {
            assertThat(Crawler.mostRunning(group, domain)).isLessThanOrEqualTo(2);
        }
        assertThat(Crawler.mostRunning(group))
                .as("three domains of two each, but three in all")
                .isEqualTo(3);
    }

    @Test
    void callsWhoseKeyIsNullAreLimitedByNoKey() {
        String group = UUID.randomUUID().toString();
        Batch batch = this.dispatcher.batch();
        for (int i = 0; i < 6; i++) {
            Page page = new Page(null, "/" + i);
            batch.add(() -> this.crawler.fetchOne(page, group));
        }

        awaitSuccess(batch.dispatch());

        assertThat(Crawler.mostRunning(group, null))
                .as("one per domain, and these pages have none")
                .isGreaterThan(1);
    }

    @Test
    void theKeyIsEvaluatedWhenTheCallIsRecordedAndKeptWithIt() {
        String group = UUID.randomUUID().toString();

        DispatchId id = this.dispatcher.dispatch(() -> this.crawler.fetchOne(new Page("d.example", "/"), group));
        DispatchId none = this.dispatcher.dispatch(() -> this.crawler.fetchOne(new Page(null, "/"), group));

        awaitSuccess(List.of(id, none));
        assertThat(this.jdbc.queryForObject(
                        "SELECT concurrency_key FROM dispatch_invocation WHERE id = ?", String.class, id.value()))
                .isEqualTo("d.example");
        assertThat(this.jdbc.queryForObject(
                        "SELECT concurrency_key FROM dispatch_invocation WHERE id = ?", String.class, none.value()))
                .isNull();
    }

    @Test
    void theActuatorShowsTheKeyAndTheCallsRunningAndWaitingPerValue() {
        String gate = UUID.randomUUID().toString();
        Batch batch = this.dispatcher.batch();
        for (int i = 0; i < 3; i++) {
            Page page = new Page("e.example", "/" + i);
            batch.add(() -> this.crawler.fetchHeld(page, gate));
        }
        List<DispatchId> ids = batch.dispatch();

        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                DispatchSummary.Keyed keyed = this.endpoint
                        .summary(null, null, null, 1, SecurityContext.NONE)
                        .concurrencyKeys()
                        .get("crawler.fetchHeld");
                assertThat(keyed.key()).isEqualTo("#page.domain");
                assertThat(keyed.perKey()).isEqualTo(1);
                assertThat(keyed.byKey())
                        .as("one running, the other two waiting for it")
                        .containsEntry("e.example", new InvocationQueries.KeyCount(1, 2));
            });
        } finally {
            Crawler.open(gate);
        }
        awaitSuccess(ids);
    }

    private void runAll(int calls, String group, BiFunction<Page, String, String> fetch) {
        Batch batch = this.dispatcher.batch();
        for (int i = 0; i < calls; i++) {
            Page page = new Page(DOMAINS.get(i % DOMAINS.size()), "/" + i);
            batch.add(() -> fetch.apply(page, group));
        }
        awaitSuccess(batch.dispatch());
    }

    private void awaitSuccess(List<DispatchId> ids) {
        for (DispatchId id : ids) {
            assertThat(this.dispatcher
                            .awaitCompletion(id, Duration.ofSeconds(30))
                            .status())
                    .isEqualTo(InvocationStatus.SUCCEEDED);
        }
    }
}
