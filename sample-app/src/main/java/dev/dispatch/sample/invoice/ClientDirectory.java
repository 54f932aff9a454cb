package dev.dispatch.sample.invoice;

import dev.dispatch.DispatchFunction;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;

/** {@code fetch_clients_from_database}: a durable call, so a resumed {@code generateInvoices} sees the same list. */
@Service
public class ClientDirectory {

    public static final String FETCH_CLIENTS = "clients.fetchClients";

    private final ClientAccountRepository clients;

    public ClientDirectory(ClientAccountRepository clients) {
        this.clients = clients;
    }

    @DispatchFunction(name = FETCH_CLIENTS)
    public List<Client> fetchClients() {
        return this.clients.findAll(Sort.by("id")).stream()
                .map(ClientAccount::toClient)
                .toList();
    }
}
