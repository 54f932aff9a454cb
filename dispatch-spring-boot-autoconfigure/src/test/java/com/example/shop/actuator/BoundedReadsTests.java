package com.example.shop.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import dev.dispatch.actuate.DispatchEndpoint;
import dev.dispatch.actuate.DispatchHealthIndicator;
import dev.dispatch.actuate.InvocationDetails;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the endpoint and the health probe read stays bounded however large the store, a tree or a message is. */
@SpringBootTest(
        classes = ShopApplication.class,
        properties = {
            "management.endpoints.web.exposure.include=dispatch,health",
            "dispatch.actuator.page-size=20",
            "dispatch.actuator.show-values=always"
        })
class BoundedReadsTests {

    @Autowired
    DispatchEndpoint endpoint;

    @Autowired
    DispatchHealthIndicator health;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aRootsStepsArePagedWithTheIndexOfTheNextPage() {
        String root = insert(null, null, "FAILED", null);
        for (int step = 0; step < 45; step++) {
            String group = UUID.randomUUID().toString();
            this.jdbc.update(
                    "INSERT INTO dispatch_call_group (id, parent_id, step_index, kind, size, completed_count,"
                            + " failed_count, signature, created_at, version) VALUES (?, ?, ?, 'CALL', 1, 1, 0, 's', ?, 0)",
                    group,
                    root,
                    step,
                    Timestamp.from(Instant.now()));
            insert(root, group, "SUCCEEDED", null);
        }

        InvocationDetails first = this.endpoint.details(root, null, null, null, null, SecurityContext.NONE);
        assertThat(first.steps())
                .hasSize(20)
                .first()
                .extracting(InvocationDetails.Step::step)
                .isEqualTo(0);
        assertThat(first.steps().get(0).children()).hasSize(1);
        assertThat(first.steps().get(0).succeeded()).isEqualTo(1);
        assertThat(first.nextStep()).isEqualTo(20);

        InvocationDetails last = this.endpoint.details(root, null, 40, null, null, SecurityContext.NONE);
        assertThat(last.steps()).extracting(InvocationDetails.Step::step).containsExactly(40, 41, 42, 43, 44);
        assertThat(last.nextStep()).isNull();

        InvocationDetails one = this.endpoint.details(root, 33, null, null, null, SecurityContext.NONE);
        assertThat(one.steps()).extracting(InvocationDetails.Step::step).containsExactly(33);
    }

    @Test
    void errorMessagesAndStacksAreCutInEveryResponse() {
        String id = insert(null, null, "FAILED", "x".repeat(50_000));
        this.jdbc.update("UPDATE dispatch_invocation SET error_stack = ? WHERE id = ?", "y".repeat(100_000), id);

        InvocationDetails details = this.endpoint.details(id, null, null, null, null, SecurityContext.NONE);
        assertThat(details.invocation().errorMessage()).hasSizeLessThan(1_100).endsWith("(49000 more characters)");
        assertThat(details.errorStack()).hasSizeLessThan(8_100);
        assertThat(this.endpoint
                        .summary("FAILED", null, id, 10, SecurityContext.NONE)
                        .invocations())
                .allSatisfy(summary -> assertThat(summary.errorMessage()).hasSizeLessThan(1_100));
    }

    @Test
    void theHealthProbeReusesItsBacklogReadForAShortWhile() {
        Map<String, Object> before = details();
        insert(null, null, "PENDING", null);

        assertThat(details().get("backlog")).isEqualTo(before.get("backlog"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> details() {
        Health probe = this.health.health(true);
        return (Map<String, Object>) (Map<?, ?>) probe.getDetails();
    }

    private String insert(String parent, String group, String status, String errorMessage) {
        String id = UUID.randomUUID().toString();
        Timestamp now = Timestamp.from(Instant.now());
        Timestamp far = Timestamp.from(Instant.now().plusSeconds(3600));
        this.jdbc.update(
                "INSERT INTO dispatch_invocation (id, function_name, arguments, status, attempts, max_attempts,"
                        + " next_attempt_at, parent_id, root_id, group_id, group_position, error_message, created_at,"
                        + " updated_at, version) VALUES (?, 'test.unregistered', '[]', ?, 1, 1, ?, ?, ?, ?, 0, ?, ?, ?, 0)",
                id,
                status,
                far,
                parent,
                parent != null ? parent : id,
                group,
                errorMessage,
                now,
                now);
        return id;
    }
}
