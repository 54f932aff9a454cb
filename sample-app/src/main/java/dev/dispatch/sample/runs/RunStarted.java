package dev.dispatch.sample.runs;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What {@code POST /notifications} and {@code POST /invoices} answer: 202 Accepted, the run's dispatch id and where
 * to follow it; 409 Conflict, with the unfinished run, while a run of the same workflow is unfinished.
 *
 * @param id the dispatch id of the run's root invocation
 * @param workflow the workflow
 * @param link {@code GET} it to see the run's state
 */
public record RunStarted(String id, String workflow, URI link) {

    /** 202 with the new run, or 409 Conflict with the unfinished run of the same workflow. */
    public static ResponseEntity<RunStarted> of(Runs.Started started) {
        if (started.started()) {
            return accepted(started.run());
        }
        return ResponseEntity.status(HttpStatus.CONFLICT).body(body(started.run()));
    }

    private static RunStarted body(Run run) {
        URI link = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/runs/{id}")
                .buildAndExpand(run.id().value())
                .toUri();
        return new RunStarted(run.id().value(), run.workflow().label(), link);
    }

    public static ResponseEntity<RunStarted> accepted(Run run) {
        URI link = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/runs/{id}")
                .buildAndExpand(run.id().value())
                .toUri();
        return ResponseEntity.accepted()
                .location(link)
                .body(new RunStarted(run.id().value(), run.workflow().label(), link));
    }
}
