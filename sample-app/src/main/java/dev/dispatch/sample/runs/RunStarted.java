package dev.dispatch.sample.runs;

import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What {@code POST /notifications} and {@code POST /invoices} answer: 202 Accepted, the run's dispatch id and where
 * to follow it.
 *
 * @param id the dispatch id of the run's root invocation
 * @param workflow the workflow
 * @param link {@code GET} it to see the run's state
 */
public record RunStarted(String id, String workflow, URI link) {

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
