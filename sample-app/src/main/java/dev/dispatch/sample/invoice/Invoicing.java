package dev.dispatch.sample.invoice;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchFunction;
import java.util.Objects;
import org.springframework.stereotype.Service;

/**
 * One client's invoice as a step that always answers: the generated PDF's path, or the reason it failed for good.
 * {@code gather} fails fast on the first call that fails for good; gathering these steps instead lets one bad client
 * fail alone while every other invoice is still made and uploaded.
 */
@Service
public class Invoicing {

    public static final String GENERATE_INVOICE_OR_REASON = "invoicing.generateInvoiceOrReason";

    private final InvoicePdfs pdfs;

    public Invoicing(InvoicePdfs pdfs) {
        this.pdfs = pdfs;
    }

    @DispatchFunction(name = GENERATE_INVOICE_OR_REASON)
    public Invoice generateInvoiceOrReason(Client client) {
        try {
            return Invoice.generated(client, this.pdfs.generateInvoice(client)); // a durable call of its own
        } catch (CallFailedException failure) {
            return Invoice.failed(client, Objects.requireNonNullElse(failure.errorMessage(), failure.getMessage()));
        }
    }
}
