package dev.dispatch.sample;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.List;
import org.springframework.stereotype.Service;

/** Fan-in: one invoice per client, then one upload per invoice, results in client order. */
@Service
public class Invoices {

    private final Directory directory;

    private final Pdfs pdfs;

    private final Storage storage;

    private final Dispatcher dispatcher;

    public Invoices(Directory directory, Pdfs pdfs, Storage storage, Dispatcher dispatcher) {
        this.directory = directory;
        this.pdfs = pdfs;
        this.storage = storage;
        this.dispatcher = dispatcher;
    }

    @DispatchFunction
    public List<String> generateInvoices() {
        List<Client> clients = this.directory.fetchClients();
        List<String> paths = this.dispatcher.gather(clients, this.pdfs::generateInvoice);
        return this.dispatcher.gather(paths, this.storage::upload);
    }
}
