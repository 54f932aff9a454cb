package dev.dispatch.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rows the store's race tests start from: a parent running on node-a, one child claimed by node-b, and the
 * parent's gather step awaiting it.
 */
record RacingStep(String parentId, String groupId, String childId, ClaimedInvocation child) {

    static RacingStep create(InvocationStore store, TransactionTemplate tx) {
        String parentId = UUID.randomUUID().toString();
        String groupId = UUID.randomUUID().toString();
        String childId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        tx.executeWithoutResult(status -> {
            store.insertInvocations(
                    List.of(
                            new NewInvocation(
                                    parentId,
                                    "test.parent",
                                    "[]",
                                    3,
                                    now,
                                    "node-a",
                                    now.plusSeconds(30),
                                    null,
                                    parentId,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null),
                            new NewInvocation(
                                    childId,
                                    "test.child",
                                    "[]",
                                    3,
                                    now,
                                    "node-b",
                                    now.plusSeconds(30),
                                    parentId,
                                    parentId,
                                    0,
                                    groupId,
                                    0,
                                    null,
                                    null,
                                    null)),
                    now);
            store.insertGroup(new NewGroup(groupId, parentId, 0, GroupKind.GATHER, 1, "sig"), now);
        });
        ClaimedInvocation child = new ClaimedInvocation(
                childId,
                "test.child",
                "[]",
                1,
                3,
                parentId,
                parentId,
                groupId,
                GroupKind.GATHER,
                now,
                false,
                null,
                null,
                0,
                0,
                0);
        return new RacingStep(parentId, groupId, childId, child);
    }
}
