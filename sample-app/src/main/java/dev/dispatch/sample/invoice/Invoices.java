package dev.dispatch.sample.invoice;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchSchedule;
import dev.dispatch.Dispatcher;
import dev.dispatch.Settled;
import dev.dispatch.sample.store.Storage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Service;

/**
 * The fan-in workflow, each night at 2 ({@code sample.invoices.cron}) and on request: gathers every client's invoice
 * outcome ({@code gatherSettled}), then one upload per generated invoice, and returns what was stored and what failed,
 * with the reason. Each gather suspends this function until its calls are done; a crash in
 * between resumes it from the record, without generating or uploading anything twice.
 */
@Service
public class Invoices {

    public static final String GENERATE_INVOICES = "invoices.generateInvoices";

    private final ClientDirectory directory;

    private final InvoicePdfs pdfs;

    private final Storage storage;

    private final Dispatcher dispatcher;

    public Invoices(ClientDirectory directory, InvoicePdfs pdfs, Storage storage, Dispatcher dispatcher) {
        this.directory = directory;
        this.pdfs = pdfs;
        this.storage = storage;
        this.dispatcher = dispatcher;
    }

    @DispatchSchedule(cron = "${sample.invoices.cron:0 0 2 * * *}")
    @DispatchFunction(name = GENERATE_INVOICES)
    public InvoiceRun generateInvoices() {
        List<Client> clients = this.directory.fetchClients();
        // every outcome, failures included: one client without a billing address does not cost the other invoices
        List<Settled<String>> outcomes = this.dispatcher.gatherSettled(clients, this.pdfs::generateInvoice);
        List<Invoice> invoices = new ArrayList<>(clients.size());
        for (int i = 0; i < clients.size(); i++) {
            Settled<String> outcome = outcomes.get(i);
            invoices.add(
                    outcome.succeeded()
                            ? Invoice.generated(clients.get(i), outcome.value())
                            : Invoice.failed(
                                    clients.get(i), reason(outcome.failure().orElseThrow())));
        }
        List<Invoice> generated = invoices.stream().filter(Invoice::isGenerated).toList();
        List<String> paths = generated.stream().map(Invoice::path).toList();
        List<URI> uris = this.dispatcher.gather(paths, this.storage::upload);

        List<InvoiceRun.Stored> stored = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            stored.add(new InvoiceRun.Stored(
                    generated.get(i).clientId(), generated.get(i).client(), uris.get(i)));
        }
        List<InvoiceRun.Failed> failed = invoices.stream()
                .filter(invoice -> !invoice.isGenerated())
                .map(invoice -> new InvoiceRun.Failed(invoice.clientId(), invoice.client(), invoice.failure()))
                .toList();
        return new InvoiceRun(clients.size(), stored, failed);
    }

    private static String reason(CallFailedException failure) {
        return Objects.requireNonNullElse(failure.errorMessage(), failure.getMessage());
    }
}
