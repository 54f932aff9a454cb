package dev.dispatch.sample.runs;

import dev.dispatch.sample.invoice.Invoices;
import dev.dispatch.sample.notify.Notifications;
import java.util.Arrays;
import java.util.Optional;

/** The sample's two workflows and the functions that start them. */
public enum Workflow {
    NOTIFY_ALL_USERS("notifyAllUsers", Notifications.NOTIFY_ALL_USERS),
    GENERATE_INVOICES("generateInvoices", Invoices.GENERATE_INVOICES);

    private final String label;

    private final String function;

    Workflow(String label, String function) {
        this.label = label;
        this.function = function;
    }

    public String label() {
        return this.label;
    }

    public String function() {
        return this.function;
    }

    public static Optional<Workflow> ofFunction(String function) {
        return Arrays.stream(values()).filter(w -> w.function.equals(function)).findFirst();
    }
}
