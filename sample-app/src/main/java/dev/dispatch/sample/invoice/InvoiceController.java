package dev.dispatch.sample.invoice;

import dev.dispatch.sample.runs.RunStarted;
import dev.dispatch.sample.runs.Runs;
import dev.dispatch.sample.runs.Workflow;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /invoices} starts a {@code generateInvoices} run. */
@RestController
class InvoiceController {

    private final Runs runs;

    InvoiceController(Runs runs) {
        this.runs = runs;
    }

    @PostMapping("/invoices")
    ResponseEntity<RunStarted> generateInvoices() {
        return RunStarted.accepted(this.runs.start(Workflow.GENERATE_INVOICES, false));
    }
}
