package com.example.shop;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.PermanentFailureException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Service;

/** The seed's fan-in: one invoice per client, then one upload per invoice, results in client order. */
@Service
public class Invoicing {

    private final Dispatcher dispatcher;

    private final Ledger ledger;

    private final Invoicing self;

    public Invoicing(
            Dispatcher dispatcher, Ledger ledger, @org.springframework.context.annotation.Lazy Invoicing self) {
        this.dispatcher = dispatcher;
        this.ledger = ledger;
        this.self = self;
    }

    @DispatchFunction
    public List<String> generateInvoices(List<Client> clients) {
        List<String> paths = this.dispatcher.gather(clients, this.self::generateInvoice);
        return this.dispatcher.gather(paths, this.self::upload);
    }

    /** Like {@link #generateInvoices} but reports a client that cannot be invoiced instead of failing. */
    @DispatchFunction
    public String generateInvoicesOrReport(List<Client> clients) {
        try {
            return String.join(",", this.dispatcher.gather(clients, this.self::generateInvoice));
        } catch (CallFailedException ex) {
            return "failed " + ex.function() + " " + ex.status() + " " + ex.errorType() + ": " + ex.errorMessage();
        }
    }

    @DispatchFunction(initialBackoff = "5ms", maxBackoff = "20ms")
    public String generateInvoice(Client client) {
        String key = "invoice:" + client.id();
        boolean failOnce = this.ledger.run(key);
        pause();
        if (client.billingAddress().isBlank()) {
            throw new PermanentFailureException("client " + client.id() + " has no billing address");
        }
        if (failOnce) {
            throw new IllegalStateException("PDF renderer busy");
        }
        this.ledger.succeeded(key);
        return "/invoices/" + client.id() + ".pdf";
    }

    @DispatchFunction
    public String upload(String path) {
        this.ledger.run("upload:" + path);
        pause();
        this.ledger.succeeded("upload:" + path);
        return "store://bucket" + path;
    }

    private static void pause() {
        try {
            // stands for a call that takes time: the test needs it running, not a delay to wait out
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 25));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
