package dev.dispatch.sample.invoice;

import java.net.URI;
import java.util.List;

/**
 * The outcome of {@code generateInvoices}: the invoices stored, and the ones that failed for good, with the reason.
 *
 * @param clients how many clients there were
 * @param stored the stored invoices, in client order
 * @param failed the invoices that could not be made, in client order
 */
public record InvoiceRun(int clients, List<Stored> stored, List<Failed> failed) {

    /** An invoice stored in the object store. */
    public record Stored(long clientId, String client, URI uri) {}

    /** An invoice that failed for good. */
    public record Failed(long clientId, String client, String reason) {}
}
