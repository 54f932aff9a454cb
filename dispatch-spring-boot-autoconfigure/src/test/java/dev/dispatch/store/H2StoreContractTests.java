package dev.dispatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.testdb.SharedDatabase;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The {@link StoreContract} on H2. */
class H2StoreContractTests extends StoreContract {

    @Override
    SharedDatabase database() {
        return SharedDatabase.h2();
    }

    @Override
    boolean signalsNewWork() {
        return false;
    }

    @Override
    int claimers() {
        return 1;
    }

    @Test
    void housekeepingReadsOnlyTheRowsPastADeadline() {
        // H2's planner, left to itself, read every unfinished invocation through the status index each round
        Instant now = Instant.now();
        String plan = this.jdbc.queryForObject(
                "EXPLAIN " + JdbcTreeChanges.pastDeadline(DatabaseType.H2),
                String.class,
                JdbcInvocationStore.time(Instant.EPOCH),
                JdbcInvocationStore.time(now),
                JdbcInvocationStore.time(now),
                200);
        assertThat(plan).contains("DISPATCH_INVOCATION_DEADLINE: DEADLINE_AT >= ");
    }

    @Test
    void retentionAndLookupsByParentReadTheRunsIndex() {
        // schema version 8 dropped the indexes on parent_id alone and on (parent_id, completed_at): every call wrote
        // both
        Instant now = Instant.now();
        String due = this.jdbc.queryForObject(
                "EXPLAIN " + JdbcRetention.dueRoots("'SUCCEEDED'"),
                String.class,
                JdbcInvocationStore.time(now),
                JdbcInvocationStore.time(now),
                100);
        assertThat(due).contains("DISPATCH_INVOCATION_RUNS: PARENT_ID IS NULL").contains("CREATED_AT < ?1");
        String children = this.jdbc.queryForObject(
                "EXPLAIN SELECT id FROM dispatch_invocation WHERE parent_id = ?", String.class, "p");
        assertThat(children).contains("DISPATCH_INVOCATION_RUNS: PARENT_ID = ");
    }
}
