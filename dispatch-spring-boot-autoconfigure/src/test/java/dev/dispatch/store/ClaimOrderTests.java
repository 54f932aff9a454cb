package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.shop.ShopApplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The order in which the poller's claim takes due calls, on every node: priority, then turn, then due time. The
 * functions are not registered, so this node's own scheduler leaves the rows to the test.
 */
@SpringBootTest(classes = ShopApplication.class, properties = "dispatch.enabled=true")
class ClaimOrderTests {

    @Autowired
    InvocationStore store;

    @Autowired
    Claims claims;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void higherPrioritiesAreClaimedFirstWhateverTheirDueTime() {
        String function = "test.priority." + UUID.randomUUID();
        Instant now = Instant.now();
        List<NewInvocation> rows = new ArrayList<>();
        int[] priorities = {0, 5, -1, 3, 5};
        for (int i = 0; i < priorities.length; i++) {
            // the first recorded is the longest due
            rows.add(root(function, now.minusSeconds(10 - i)).withPriority(priorities[i]));
        }
        insert(rows, now);

        List<Integer> claimed = new ArrayList<>();
        for (int i = 0; i < priorities.length; i++) {
            claimOne(function, now).forEach(c -> claimed.add(c.priority()));
        }

        assertThat(claimed).containsExactly(5, 5, 3, 0, -1);
    }

    @Test
    void callsOfEqualPriorityTakeTurnsAcrossTrees() {
        String function = "test.turns." + UUID.randomUUID();
        Instant now = Instant.now();
        String large = UUID.randomUUID().toString();
        String small = UUID.randomUUID().toString();
        List<NewInvocation> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(child(function, large, i, now.minusSeconds(60)));
        }
        for (int i = 0; i < 3; i++) {
            // recorded a minute after the large fan-out: by due time alone they would wait for all of it
            rows.add(child(function, small, i, now.minusSeconds(1)));
        }
        insert(rows, now);

        List<ClaimedInvocation> firstClaims = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            firstClaims.addAll(new TransactionTemplate(this.transactionManager)
                    .execute(status -> this.claims.claimDue(now, List.of(function), 2, "node-a", now.plusSeconds(30))));
        }

        assertThat(firstClaims).hasSize(6);
        assertThat(firstClaims.stream().filter(c -> c.rootId().equals(small)))
                .as("the small tree's calls are among the first six claimed, one per turn")
                .hasSize(3);
        assertThat(firstClaims).extracting(ClaimedInvocation::turn).containsExactlyInAnyOrder(0, 0, 1, 1, 2, 2);
    }

    private List<ClaimedInvocation> claimOne(String function, Instant now) {
        return new TransactionTemplate(this.transactionManager)
                .execute(status -> this.claims.claimDue(now, List.of(function), 1, "node-a", now.plusSeconds(30)));
    }

    private void insert(List<NewInvocation> rows, Instant now) {
        new TransactionTemplate(this.transactionManager)
                .executeWithoutResult(status -> this.store.insertInvocations(rows, now));
    }

    private static NewInvocation root(String function, Instant due) {
        String id = UUID.randomUUID().toString();
        return new NewInvocation(id, function, "[]", 3, due, null, null, null, id, null, null, null, null, null, null);
    }

    /** A call at {@code position} of a batch its root made at step 0 (no group row: claims do not read it). */
    private static NewInvocation child(String function, String root, int position, Instant due) {
        return new NewInvocation(
                UUID.randomUUID().toString(),
                function,
                "[]",
                3,
                due,
                null,
                null,
                root,
                root,
                0,
                null,
                position,
                null,
                null,
                null);
    }
}
