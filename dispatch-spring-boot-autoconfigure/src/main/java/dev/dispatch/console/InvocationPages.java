package dev.dispatch.console;

import dev.dispatch.store.CallGroup;
import dev.dispatch.store.Invocation;
import dev.dispatch.store.InvocationQueries;
import dev.dispatch.store.InvocationStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads one invocation with its steps for its page, through the same store queries as the actuator's endpoint: the
 * invocation, its call groups, and their progress counted in the database.
 */
final class InvocationPages {

    private static final int STACK_LINES = 40;

    private static final int MESSAGE_LENGTH = 10_000;

    private static final int MAX_DEPTH = 50;

    private final InvocationStore store;

    private final InvocationQueries queries;

    private final ConsoleQueries console;

    InvocationPages(InvocationStore store, InvocationQueries queries, ConsoleQueries console) {
        this.store = store;
        this.queries = queries;
        this.console = console;
    }

    Optional<InvocationView> find(String id, boolean showValues) {
        return this.store.find(id).map(invocation -> view(invocation, showValues));
    }

    private InvocationView view(Invocation invocation, boolean showValues) {
        Map<String, Map<String, Long>> progress = this.queries.stepProgress(invocation.getId());
        List<InvocationView.Step> steps = new ArrayList<>();
        for (CallGroup group : this.store.findGroups(invocation.getId())) {
            steps.add(new InvocationView.Step(
                    group.getId(),
                    group.getStepIndex(),
                    group.getKind().name(),
                    group.getSize(),
                    Progress.of(progress.getOrDefault(group.getId(), Map.of())),
                    group.getDecidedAt()));
        }
        Progress tree = (invocation.getParentId() == null)
                ? this.console.treeProgress(List.of(invocation.getId())).getOrDefault(invocation.getId(), Progress.NONE)
                : null;
        return new InvocationView(
                invocation.getId(),
                invocation.getFunctionName(),
                invocation.getStatus(),
                invocation.getAttempts(),
                invocation.getMaxAttempts(),
                invocation.getParentId(),
                invocation.getRootId(),
                ancestors(invocation),
                invocation.getCreatedAt(),
                invocation.getUpdatedAt(),
                invocation.getCompletedAt(),
                invocation.getDeadlineAt(),
                invocation.getNextAttemptAt(),
                invocation.getLeaseOwner(),
                invocation.getErrorType(),
                invocation.getErrorStatus(),
                masked(cut(invocation.getErrorMessage()), showValues),
                masked(trim(invocation.getErrorStack()), showValues),
                value(invocation.getArguments(), showValues),
                value(invocation.getResult(), showValues),
                tree,
                steps);
    }

    private List<InvocationView.Ancestor> ancestors(Invocation invocation) {
        List<InvocationView.Ancestor> ancestors = new ArrayList<>();
        String parentId = invocation.getParentId();
        while (parentId != null && ancestors.size() < MAX_DEPTH) {
            Invocation parent = this.store.find(parentId).orElse(null);
            if (parent == null) {
                break;
            }
            ancestors.add(new InvocationView.Ancestor(parent.getId(), parent.getFunctionName()));
            parentId = parent.getParentId();
        }
        Collections.reverse(ancestors);
        return ancestors;
    }

    private static InvocationView.Value value(@Nullable String json, boolean show) {
        int size = (json != null) ? json.length() : 0;
        return new InvocationView.Value(size, show ? json : null, !show && json != null);
    }

    private static @Nullable String cut(@Nullable String message) {
        return (message != null && message.length() > MESSAGE_LENGTH)
                ? message.substring(0, MESSAGE_LENGTH) + "…"
                : message;
    }

    private static @Nullable String trim(@Nullable String stack) {
        if (stack == null) {
            return null;
        }
        String[] lines = stack.split("\n");
        if (lines.length <= STACK_LINES) {
            return stack;
        }
        return String.join("\n", List.of(lines).subList(0, STACK_LINES)) + "\n\t... " + (lines.length - STACK_LINES)
                + " more";
    }

    /** What masked error text shows: a message or stack may quote an argument the masking hides. */
    static final String MASKED = "******";

    static @Nullable String masked(@Nullable String text, boolean show) {
        return (text == null || show) ? text : MASKED;
    }
}
