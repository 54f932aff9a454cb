package dev.dispatch.sample.runs;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /runs/{id}}: a run's state ({@link Dispatcher#describe}), the counts of its tree's calls and, once it is
 * done, its recorded result. Runs only: the root invocation of one of the sample's workflows; any other id (a child,
 * whose recorded values may hold users' data) answers 404. The actuator's {@code dispatch} endpoint
 * ({@code /actuator/dispatch/{id}}) shows the rest, values masked.
 */
@RestController
public class RunController {

    private final Dispatcher dispatcher;

    private final RunQueries queries;

    private final Map<Workflow, WorkflowReport> reports;

    private final JsonMapper json;

    RunController(Dispatcher dispatcher, RunQueries queries, java.util.List<WorkflowReport> reports, JsonMapper json) {
        this.dispatcher = dispatcher;
        this.queries = queries;
        this.reports = reports.stream().collect(java.util.stream.Collectors.toMap(WorkflowReport::workflow, r -> r));
        this.json = json;
    }

    /** What {@code GET /runs/{id}} answers. */
    record RunView(
            InvocationInfo invocation,
            @Nullable String progress,
            boolean finished,
            Map<String, RunProgress.Calls> calls,
            @Nullable JsonNode result) {}

    /** The id of a run, if the text can be one (a UUID); anything else is no run. */
    public static java.util.Optional<DispatchId> runId(String id) {
        try {
            return java.util.Optional.of(
                    DispatchId.of(java.util.UUID.fromString(id).toString()));
        } catch (IllegalArgumentException ex) {
            return java.util.Optional.empty();
        }
    }

    @GetMapping("/runs/{id}")
    ResponseEntity<RunView> run(@PathVariable String id) {
        DispatchId dispatchId = runId(id).orElse(null);
        if (dispatchId == null || this.queries.workflowOf(dispatchId).isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        return this.dispatcher
                .describe(dispatchId)
                .filter(info -> info.parentId() == null)
                .map(info -> {
                    RunProgress progress = this.queries.progress(dispatchId).orElse(null);
                    String line = (progress == null)
                            ? null
                            : this.queries
                                    .workflowOf(dispatchId)
                                    .map(w -> progress.finished()
                                            ? this.reports.get(w).summary(progress)
                                            : this.reports.get(w).progress(progress))
                                    .orElse(null);
                    String result = this.queries.result(dispatchId);
                    return ResponseEntity.ok(new RunView(
                            info,
                            line,
                            progress != null
                                    ? progress.finished()
                                    : info.status().isTerminal(),
                            progress != null ? progress.calls() : Map.of(),
                            result != null ? this.json.readTree(result) : null));
                })
                .orElse(ResponseEntity.notFound().build());
    }
}
