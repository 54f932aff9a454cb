package dev.dispatch.sample.invoice;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** A client as the invoice steps see it: a record, recorded as JSON with each call. */
public record Client(long id, String name, @Nullable String billingAddress, BigDecimal monthlyFee) {

    /** How the logs and failure reasons name the client. */
    public String label() {
        return "client " + this.id + " (" + this.name + ")";
    }
}
