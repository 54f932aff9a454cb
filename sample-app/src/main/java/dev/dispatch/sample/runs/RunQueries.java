package dev.dispatch.sample.runs;

import dev.dispatch.DispatchId;
import dev.dispatch.InvocationStatus;
import dev.dispatch.sample.runs.RunProgress.Calls;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads runs straight from the engine's {@code dispatch_invocation} table: counts per function and status over a
 * run's tree, unfinished roots, recorded results. The table is the truth the engine resumes from.
 */
@Component
public class RunQueries {

    private static final String UNFINISHED = "status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')";

    private final JdbcTemplate jdbc;

    public RunQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The run's progress, or empty if there is no such root. */
    public Optional<RunProgress> progress(DispatchId root) {
        List<RunProgress> roots = this.jdbc.query(
                "SELECT status, created_at FROM dispatch_invocation WHERE id = ? AND parent_id IS NULL",
                (rs, n) -> new RunProgress(
                        root,
                        InvocationStatus.valueOf(rs.getString(1)),
                        rs.getObject(2, OffsetDateTime.class).toInstant(),
                        null,
                        Map.of()),
                root.value());
        if (roots.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Calls> calls = new HashMap<>();
        Instant[] last = {null};
        this.jdbc.query(
                "SELECT function_name, status, COUNT(*), SUM(attempts), MAX(completed_at) FROM dispatch_invocation"
                        + " WHERE root_id = ? GROUP BY function_name, status",
                rs -> {
                    InvocationStatus status = InvocationStatus.valueOf(rs.getString(2));
                    long count = rs.getLong(3);
                    long attempts = rs.getLong(4);
                    // attempts started so far; each but the last was retried, and a pending call's last one too
                    long retries = switch (status) {
                        case PENDING -> attempts;
                        case SUSPENDED -> 0; // a parent waiting for its calls: resuming it is not a retry
                        default -> Math.max(0, attempts - count);
                    };
                    Calls these = new Calls(
                            count,
                            status == InvocationStatus.SUCCEEDED ? count : 0,
                            status == InvocationStatus.FAILED ? count : 0,
                            status.isTerminal() ? 0 : count,
                            retries);
                    calls.merge(rs.getString(1), these, Calls::plus);
                    OffsetDateTime completed = rs.getObject(5, OffsetDateTime.class);
                    if (completed != null
                            && (last[0] == null || completed.toInstant().isAfter(last[0]))) {
                        last[0] = completed.toInstant();
                    }
                },
                root.value());
        RunProgress head = roots.get(0);
        return Optional.of(new RunProgress(root, head.status(), head.createdAt(), last[0], Map.copyOf(calls)));
    }

    /** Roots of the sample's workflows with some call of their tree not finished: what a killed process left. */
    public List<Run> unfinishedRuns() {
        return this.jdbc.query(
                "SELECT r.id, r.function_name FROM dispatch_invocation r WHERE r.parent_id IS NULL"
                        + " AND r.function_name IN (?, ?) AND EXISTS (SELECT 1 FROM dispatch_invocation i"
                        + " WHERE i.root_id = r.id AND i." + UNFINISHED + ") ORDER BY r.created_at",
                (rs, n) -> new Run(
                        DispatchId.of(rs.getString(1)),
                        Workflow.ofFunction(rs.getString(2)).orElseThrow(),
                        true),
                Workflow.NOTIFY_ALL_USERS.function(),
                Workflow.GENERATE_INVOICES.function());
    }

    /** The latest run of a workflow. */
    public Optional<DispatchId> latest(Workflow workflow) {
        return this.jdbc
                .queryForList(
                        "SELECT id FROM dispatch_invocation WHERE parent_id IS NULL AND function_name = ?"
                                + " ORDER BY created_at DESC LIMIT 1",
                        String.class,
                        workflow.function())
                .stream()
                .findFirst()
                .map(DispatchId::of);
    }

    /** The workflow a root belongs to, if it is one of the sample's. */
    public Optional<Workflow> workflowOf(DispatchId root) {
        return this.jdbc
                .queryForList(
                        "SELECT function_name FROM dispatch_invocation WHERE id = ? AND parent_id IS NULL",
                        String.class,
                        root.value())
                .stream()
                .findFirst()
                .flatMap(Workflow::ofFunction);
    }

    /**
     * The recorded result (JSON) of a succeeded invocation. The Dispatcher has no API for a finished invocation's
     * result yet, so this reads the engine's column.
     */
    public @Nullable String result(DispatchId id) {
        return first(this.jdbc.queryForList(
                "SELECT result FROM dispatch_invocation WHERE id = ? AND status = 'SUCCEEDED'",
                String.class,
                id.value()));
    }

    /** The recorded result (JSON) of the first succeeded call of a function in a run. */
    public @Nullable String result(DispatchId root, String function) {
        return first(this.jdbc.queryForList(
                "SELECT result FROM dispatch_invocation WHERE root_id = ? AND function_name = ?"
                        + " AND status = 'SUCCEEDED' ORDER BY created_at LIMIT 1",
                String.class,
                root.value(),
                function));
    }

    private static @Nullable String first(List<String> values) {
        return values.isEmpty() ? null : values.get(0); // a void function's result is null
    }
}
