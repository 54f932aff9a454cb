package dev.dispatch.sample.notify;

import dev.dispatch.sample.runs.RunController;
import dev.dispatch.sample.runs.RunQueries;
import dev.dispatch.sample.runs.RunStarted;
import dev.dispatch.sample.runs.Runs;
import dev.dispatch.sample.runs.Workflow;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /notifications} starts a {@code notifyAllUsers} run unless one is unfinished (409);
 * {@code GET /notifications/report} counts its emails.
 */
@RestController
class NotificationController {

    private final Runs runs;

    private final RunQueries queries;

    private final NotificationReport report;

    NotificationController(Runs runs, RunQueries queries, NotificationReport report) {
        this.runs = runs;
        this.queries = queries;
        this.report = report;
    }

    @PostMapping("/notifications")
    ResponseEntity<RunStarted> notifyAllUsers() {
        return RunStarted.of(this.runs.startUnlessRunning(Workflow.NOTIFY_ALL_USERS, this.queries));
    }

    /**
     * How many users received how many emails in a run (the given one, or the latest): counts only, never the users'
     * addresses, since the page needs no authentication.
     */
    @GetMapping("/notifications/report")
    ResponseEntity<MailReport.Counts> report(@RequestParam Optional<String> run) {
        return run.flatMap(RunController::runId)
                .filter(id -> this.queries.workflowOf(id).orElse(null) == Workflow.NOTIFY_ALL_USERS)
                .or(() -> run.isPresent() ? Optional.empty() : this.queries.latest(Workflow.NOTIFY_ALL_USERS))
                .map(id -> ResponseEntity.ok(this.report.report(id).counts()))
                .orElse(ResponseEntity.notFound().build());
    }
}
