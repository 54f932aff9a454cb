package dev.dispatch.sample;

import dev.dispatch.DispatchFunction;
import org.springframework.stereotype.Service;

/** Renders an invoice and returns its path (a later version writes a real PDF). */
@Service
public class Pdfs {

    @DispatchFunction
    public String generateInvoice(Client client) {
        return "invoices/invoice-" + client.id() + ".pdf";
    }
}
