package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import dev.dispatch.InvocationStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest
class FanInTests {

    @Autowired
    Dispatcher dispatcher;

    @Autowired
    Invoicing invoicing;

    @Autowired
    Ledger ledger;

    @BeforeEach
    void reset() {
        this.ledger.reset();
    }

    @Test
    void gatherReturnsResultsInArgumentOrderAndFeedsASecondGather() {
        List<Client> clients = clients(30);
        this.ledger.failNext("invoice:3", 1);
        this.ledger.failNext("invoice:17", 2);

        List<String> uris = this.invoicing.generateInvoices(clients);

        List<String> expected = new ArrayList<>();
        for (Client client : clients) {
            expected.add("store://bucket/invoices/" + client.id() + ".pdf");
        }
        assertThat(uris).containsExactlyElementsOf(expected);
        List<String> invoiceOrder = this.ledger.completionOrder().stream()
                .filter(key -> key.startsWith("invoice:"))
                .toList();
        assertThat(invoiceOrder)
                .hasSize(30)
                .isNotEqualTo(invoiceOrder.stream().sorted().toList());
        for (Client client : clients) {
            assertThat(this.ledger.successes("invoice:" + client.id())).isEqualTo(1);
        }
        assertThat(this.ledger.runs("invoice:17")).isEqualTo(3);
    }

    @Test
    void aChildThatFailsForGoodMakesTheGatherThrowInTheParentWhichCanCatchIt() {
        List<Client> clients = new ArrayList<>(clients(5));
        clients.set(2, new Client(2, "No Address Ltd", " "));

        DispatchId id = this.dispatcher.dispatch(() -> this.invoicing.generateInvoicesOrReport(clients));
        InvocationInfo info = this.dispatcher.awaitCompletion(id, Duration.ofSeconds(30));

        assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
        assertThat(this.dispatcher.<String>result(id))
                .hasValueSatisfying(value -> assertThat(value).startsWith("failed"));
        String report = this.invoicing.generateInvoicesOrReport(clients);
        assertThat(report)
                .isEqualTo("failed invoicing.generateInvoice PERMANENT_ERROR dev.dispatch.PermanentFailureException:"
                        + " client 2 has no billing address");
        assertThat(this.ledger.runs("invoice:2"))
                .as("a permanent failure is not retried")
                .isEqualTo(2);
    }

    @Test
    void anEmptyGatherReturnsAnEmptyList() {
        assertThat(this.invoicing.generateInvoices(List.of())).isEmpty();
    }

    private static List<Client> clients(int count) {
        return LongStream.range(0, count)
                .mapToObj(i -> new Client(i, "Client " + i, i + " Main Street"))
                .toList();
    }
}
