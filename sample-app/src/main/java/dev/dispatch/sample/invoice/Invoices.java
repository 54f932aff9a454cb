package dev.dispatch.sample.invoice;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.sample.store.Storage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The fan-in workflow: gathers one invoice per client, then one upload per generated invoice, and returns what was
 * stored and what failed, with the reason. Each gather suspends this function until its calls are done; a crash in
 * between resumes it from the record, without generating or uploading anything twice.
 */
@Service
public class Invoices {

    public static final String GENERATE_INVOICES = "invoices.generateInvoices";

    private final ClientDirectory directory;

    private final Invoicing invoicing;

    private final Storage storage;

    private final Dispatcher dispatcher;

    public Invoices(ClientDirectory directory, Invoicing invoicing, Storage storage, Dispatcher dispatcher) {
        this.directory = directory;
        this.invoicing = invoicing;
        this.storage = storage;
        this.dispatcher = dispatcher;
    }

    @DispatchFunction(name = GENERATE_INVOICES)
    public InvoiceRun generateInvoices() {
        List<Client> clients = this.directory.fetchClients();
        List<Invoice> invoices = this.dispatcher.gather(clients, this.invoicing::generateInvoiceOrReason);
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
}
