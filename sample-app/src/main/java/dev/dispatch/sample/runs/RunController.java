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
 * {@code GET /runs/{id}}: an invocation's state ({@link Dispatcher#describe}), the counts of its tree's calls and, once
 * it is done, its recorded result. (The actuator {@code dispatch} endpoint, when it comes, will show more.)
 */
@RestController
class RunController {

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

    @GetMapping("/runs/{id}")
    ResponseEntity<RunView> run(@PathVariable String id) {
        DispatchId dispatchId = DispatchId.of(id);
        return this.dispatcher
                .describe(dispatchId)
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
