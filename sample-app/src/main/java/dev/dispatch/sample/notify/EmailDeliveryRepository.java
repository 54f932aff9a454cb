package dev.dispatch.sample.notify;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface EmailDeliveryRepository extends JpaRepository<EmailDelivery, String> {

    /** Emails sent per recipient in one run: {@code [recipient, count]} rows. */
    @Query("select d.recipient, count(d) from EmailDelivery d where d.runId = ?1 group by d.recipient")
    List<Object[]> countByRecipient(String runId);
}
