package dev.dispatch.sample.invoice;

import dev.dispatch.sample.runs.RunQueries;
import dev.dispatch.sample.runs.RunStarted;
import dev.dispatch.sample.runs.Runs;
import dev.dispatch.sample.runs.Workflow;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /invoices} starts a {@code generateInvoices} run, unless one is unfinished (409). */
@RestController
class InvoiceController {

    private final Runs runs;

    private final RunQueries queries;

    InvoiceController(Runs runs, RunQueries queries) {
        this.runs = runs;
        this.queries = queries;
    }

    @PostMapping("/invoices")
    ResponseEntity<RunStarted> generateInvoices() {
        return RunStarted.of(this.runs.startUnlessRunning(Workflow.GENERATE_INVOICES, this.queries));
    }
}
