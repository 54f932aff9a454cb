package dev.dispatch.sample.invoice;

import dev.dispatch.DispatchId;
import dev.dispatch.sample.runs.RunProgress;
import dev.dispatch.sample.runs.RunQueries;
import dev.dispatch.sample.runs.Workflow;
import dev.dispatch.sample.runs.WorkflowReport;
import dev.dispatch.sample.store.ObjectStore;
import dev.dispatch.sample.store.Storage;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Tells a {@code generateInvoices} run's progress, and sums up its recorded outcome against the object store. */
@Component
public class InvoiceReport implements WorkflowReport {

    private final RunQueries queries;

    private final ObjectStore store;

    private final JsonMapper json;

    public InvoiceReport(RunQueries queries, ObjectStore store, JsonMapper json) {
        this.queries = queries;
        this.store = store;
        this.json = json;
    }

    @Override
    public Workflow workflow() {
        return Workflow.GENERATE_INVOICES;
    }

    @Override
    public String progress(RunProgress progress) {
        long clients = progress.of(InvoicePdfs.GENERATE_INVOICE).total();
        RunProgress.Calls pdfs = progress.of(InvoicePdfs.GENERATE_INVOICE);
        RunProgress.Calls uploads = progress.of(Storage.UPLOAD);
        if (clients == 0) {
            return "generateInvoices [" + progress.id() + "] fetching clients";
        }
        return String.format(
                "generateInvoices %d/%d invoices generated, %d failed for good, %d/%d uploaded, %d retried",
                pdfs.succeeded(),
                clients,
                pdfs.failed(),
                uploads.succeeded(),
                clients - pdfs.failed(),
                pdfs.retries() + uploads.retries());
    }

    @Override
    public String summary(RunProgress progress) {
        String head = "generateInvoices [%s] %s in %.1f s"
                .formatted(progress.id(), progress.status(), progress.elapsed().toMillis() / 1000.0);
        Optional<InvoiceRun> outcome = outcome(progress.id());
        if (outcome.isEmpty()) {
            return head + ": no outcome recorded (see the engine's warning above)";
        }
        InvoiceRun run = outcome.get();
        long inStore = run.stored().stream()
                .filter(invoice -> this.store.exists(invoice.uri()))
                .count();
        String failures = run.failed().stream().map(InvoiceRun.Failed::reason).collect(Collectors.joining("; "));
        return head
                + ": %d clients, %d invoices stored (%d found in the store), %d failed%s"
                        .formatted(
                                run.clients(),
                                run.stored().size(),
                                inStore,
                                run.failed().size(),
                                failures.isEmpty() ? "" : ": " + failures);
    }

    /** The run's recorded result, once it succeeded. */
    public Optional<InvoiceRun> outcome(DispatchId run) {
        return Optional.ofNullable(this.queries.result(run)).map(json -> this.json.readValue(json, InvoiceRun.class));
    }
}
