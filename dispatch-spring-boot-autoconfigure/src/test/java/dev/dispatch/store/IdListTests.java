package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Id lists of any length, as a gather of 100,000 calls from outside a function reads them: bound in chunks, never
 * past PostgreSQL's 65,535 bind parameters (this class runs on PostgreSQL in the build's second test run).
 */
@SpringBootTest(classes = ShopApplication.class, properties = "dispatch.enabled=true")
class IdListTests {

    @Autowired
    InvocationStore store;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void outcomesAndStatusCountsOfSeventyThousandIdsAreReadInChunks() {
        Instant now = Instant.now();
        List<String> recorded = new ArrayList<>();
        List<NewInvocation> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = UUID.randomUUID().toString();
            recorded.add(id);
            rows.add(new NewInvocation(
                    id,
                    "test.far",
                    "[]",
                    3,
                    now.plusSeconds(3600),
                    null,
                    null,
                    null,
                    id,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null));
        }
        new TransactionTemplate(this.transactionManager)
                .executeWithoutResult(status -> this.store.insertInvocations(rows, now));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        ids.add(1_500, recorded.get(2));
        ids.add(recorded.get(0));
        ids.add(42_000, recorded.get(1));

        assertThat(this.store.findOutcomes(ids))
                .extracting(ChildOutcome::id)
                .containsExactly(recorded.get(2), recorded.get(1), recorded.get(0));
        assertThat(this.store.countStatuses(ids)).isEqualTo(Map.of("PENDING", 3));
    }
}
