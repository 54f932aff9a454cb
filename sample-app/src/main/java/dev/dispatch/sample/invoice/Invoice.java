package dev.dispatch.sample.invoice;

import org.jspecify.annotations.Nullable;

/**
 * What came of one client's invoice: the PDF's path, or why there is none.
 *
 * @param clientId the client
 * @param client the client's name
 * @param path the generated PDF, or null if it failed
 * @param failure why it failed for good, or null
 */
public record Invoice(
        long clientId,
        String client,
        @Nullable String path,
        @Nullable String failure) {

    static Invoice generated(Client client, String path) {
        return new Invoice(client.id(), client.name(), path, null);
    }

    static Invoice failed(Client client, String reason) {
        return new Invoice(client.id(), client.name(), null, reason);
    }

    public boolean isGenerated() {
        return this.path != null;
    }
}
