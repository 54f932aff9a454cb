package dev.dispatch.sample.notify;

import dev.dispatch.DispatchId;
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

/** {@code POST /notifications} starts a {@code notifyAllUsers} run; {@code GET /notifications/report} counts it. */
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
        return RunStarted.accepted(this.runs.start(Workflow.NOTIFY_ALL_USERS, false));
    }

    /** Emails received per user in a run: the given one, or the latest. */
    @GetMapping("/notifications/report")
    ResponseEntity<MailReport> report(@RequestParam Optional<String> run) {
        return run.map(DispatchId::of)
                .or(() -> this.queries.latest(Workflow.NOTIFY_ALL_USERS))
                .map(id -> ResponseEntity.ok(this.report.report(id)))
                .orElse(ResponseEntity.notFound().build());
    }
}
