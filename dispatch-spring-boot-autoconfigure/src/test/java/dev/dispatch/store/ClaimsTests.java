package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Claims by id, as the scheduler makes them for the ids its local queue hands it. */
@SpringBootTest(classes = ShopApplication.class, properties = "dispatch.enabled=true")
class ClaimsTests {

    @Autowired
    InvocationStore store;

    @Autowired
    Claims claims;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCallWhoseTimeHasNotComeIsNotClaimedByIdEarly() {
        TransactionTemplate tx = new TransactionTemplate(this.transactionManager);
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        Instant due = now.plusSeconds(60); // a durable sleep's wake time, or a retry's
        tx.executeWithoutResult(status -> this.store.insertInvocations(
                List.of(new NewInvocation(
                        id, "test.later", "[]", 3, due, null, null, null, id, null, null, null, null, null, null)),
                now));

        List<ClaimedInvocation> early =
                tx.execute(status -> this.claims.claim(List.of(id), "node-a", now, now.plusSeconds(30)));
        assertThat(early).as("claimed by id before it is due").isEmpty();
        assertThat(this.jdbc.queryForObject("SELECT status FROM dispatch_invocation WHERE id = ?", String.class, id))
                .isEqualTo("PENDING");

        Instant later = due.plusSeconds(1);
        List<ClaimedInvocation> onTime =
                tx.execute(status -> this.claims.claim(List.of(id), "node-a", later, later.plusSeconds(30)));
        assertThat(onTime).extracting(ClaimedInvocation::id).containsExactly(id);
    }
}
