package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import dev.dispatch.Status;
import dev.dispatch.aop.FunctionRegistry;
import dev.dispatch.store.InvocationQueries;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** Bad input gets a clear error naming the function, and nothing is lost or half-written. */
@SpringBootTest(properties = "dispatch.max-payload-size=64KB")
class BadInputTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Records records;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    InvocationQueries queries;

    @Autowired
    FunctionRegistry registry;

    @Autowired
    HealthIndicator dispatchHealthIndicator;

    @Test
    void recordsGenericCollectionsEnumsOptionalsAndTimesRoundTripExactly() {
        Records.Shipment shipment = new Records.Shipment(
                "s-1",
                List.of(new Records.Item("apple", 3), new Records.Item("pear", 1)),
                Map.of("boxes", 2, "pallets", 1),
                Records.Priority.HIGH,
                Optional.of("fragile"),
                Instant.now().truncatedTo(ChronoUnit.MICROS),
                LocalDate.of(2026, 12, 24),
                Duration.ofMinutes(90),
                null);

        List<Records.Shipment> echoed = this.dispatcher.gather(List.of(() -> this.records.echo(shipment)));

        assertThat(echoed).containsExactly(shipment);
        assertThat(this.dispatcher.gather(List.of(() -> this.records.join(null, null))))
                .containsExactly("null/null");
    }

    @Test
    void argumentsOverTheMaximumPayloadSizeAreRefusedAtDispatchAndNothingIsRecorded() {
        String large = "y".repeat(70_000);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> this.dispatcher.dispatch(() -> this.records.length(large)))
                .withMessageContaining("records.length")
                .withMessageContaining("over dispatch.max-payload-size (65536 bytes)");
        assertThat(this.jdbc.queryForObject(
                        "SELECT COUNT(*) FROM dispatch_invocation WHERE function_name = 'records.length'",
                        Integer.class))
                .isZero();
    }

    @Test
    void aResultOverTheMaximumPayloadSizeFailsTheCallWithoutRetry() {
        assertThatExceptionOfType(CallFailedException.class)
                .isThrownBy(() -> this.records.blob(70_000))
                .satisfies(ex -> {
                    assertThat(ex.status()).isEqualTo(Status.INVALID_RESPONSE);
                    assertThat(ex.errorMessage())
                            .contains("The result of records.blob is over dispatch.max-payload-size (65536 bytes)");
                });
    }

    @Test
    void aRecordedCallWhoseArgumentsNoLongerFitFailsAsIncompatibleStateWhileOthersRun() {
        String broken = plant("records.twice", "[\"twelve\"]");
        String fine = plant("records.twice", "[21]");

        InvocationInfo failed = this.dispatcher.awaitCompletion(DispatchId.of(broken), Duration.ofSeconds(20));
        InvocationInfo succeeded = this.dispatcher.awaitCompletion(DispatchId.of(fine), Duration.ofSeconds(20));

        assertThat(failed.status()).isEqualTo(InvocationStatus.FAILED);
        assertThat(failed.errorStatus()).isEqualTo(Status.INCOMPATIBLE_STATE);
        assertThat(failed.attempts()).as("retried: another version may read it").isEqualTo(2);
        assertThat(failed.errorMessage())
                .contains("The recorded argument 1 of records.twice does not fit parameter type int");
        assertThat(succeeded.status()).isEqualTo(InvocationStatus.SUCCEEDED);
    }

    @Test
    void aRecordedFunctionThisCodeNoLongerHasWaitsAndIsReported() throws InterruptedException {
        String orphan = plant("retired.function", "[]");
        // due after the orphan: once the scheduler has run it, its claims have passed over the orphan
        String later = plant("records.twice", "[4]");
        this.dispatcher.awaitCompletion(DispatchId.of(later), Duration.ofSeconds(20));

        assertThat(this.dispatcher.describe(DispatchId.of(orphan)).orElseThrow().status())
                .as("never dropped, never claimed")
                .isEqualTo(InvocationStatus.PENDING);
        assertThat(this.queries.countUnrunnable(this.registry.names())).isPositive();
        assertThat(this.dispatchHealthIndicator.health().getDetails().get("unrunnable"))
                .isInstanceOf(Long.class)
                .isNotEqualTo(0L);
    }

    @Test
    void aPayloadThatNamesAClassCannotMakeTheEngineInstantiateIt() {
        int before = Gadget.CONSTRUCTED.get();
        String planted = plant(
                "records.inspect",
                "[{\"@class\":\"com.example.shop.Gadget\",\"name\":\"x\"},"
                        + "{\"kind\":\"k\",\"payload\":[\"com.example.shop.Gadget\",{\"name\":\"y\"}]}]");

        InvocationInfo info = this.dispatcher.awaitCompletion(DispatchId.of(planted), Duration.ofSeconds(20));

        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.jdbc.queryForObject(
                        "SELECT result FROM dispatch_invocation WHERE id = ?", String.class, planted))
                .isEqualTo("\"LinkedHashMap [@class, name] ArrayList\"");
        assertThat(Gadget.CONSTRUCTED.get()).isEqualTo(before);
    }

    /** Writes a row as another version of the application (or an attacker with database access) might have. */
    private String plant(String function, String arguments) {
        String id = UUID.randomUUID().toString();
        Timestamp now = Timestamp.from(Instant.now());
        this.jdbc.update("""
                INSERT INTO dispatch_invocation (id, function_name, arguments, status, attempts, max_attempts,
                    next_attempt_at, root_id, created_at, updated_at, version)
                VALUES (?, ?, ?, 'PENDING', 0, 2, ?, ?, ?, ?, 0)""", id, function, arguments, now, id, now, now);
        return id;
    }
}
