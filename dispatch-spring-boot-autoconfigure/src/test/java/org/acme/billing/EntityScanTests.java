package org.acme.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationStatus;
import org.acme.billing.model.PaymentRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * An application in a package unrelated to Dispatch's, with its own {@code @EntityScan}: the store's entities still
 * join its persistence unit, next to the application's own, without the application naming them.
 */
@SpringBootTest(
        properties = {
            "spring.datasource.url=jdbc:h2:mem:billing;DB_CLOSE_DELAY=-1",
            "spring.jpa.hibernate.ddl-auto=update"
        })
class EntityScanTests {

    @Autowired
    Payments payments;

    @Autowired
    PaymentRepository repository;

    @Autowired
    Dispatcher dispatcher;

    @Test
    void theStoresEntitiesWorkBesideAnApplicationsOwnEntityScan() {
        String invocationId = this.payments.charge(1250);

        assertThat(this.repository.findAll())
                .singleElement()
                .satisfies(p -> assertThat(p.getCents()).isEqualTo(1250));
        assertThat(this.dispatcher.describe(DispatchId.of(invocationId))).hasValueSatisfying(info -> {
            assertThat(info.function()).isEqualTo("payments.charge");
            assertThat(info.status()).isEqualTo(InvocationStatus.SUCCEEDED);
            assertThat(info.rootId()).isEqualTo(info.id());
            assertThat(info.parentId()).isNull();
            assertThat(info.completedAt()).isNotNull();
        });
    }
}
