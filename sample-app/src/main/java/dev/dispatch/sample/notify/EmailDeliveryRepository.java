package dev.dispatch.sample.notify;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface EmailDeliveryRepository extends JpaRepository<EmailDelivery, String> {

    /** The emails sent in one run: {@code [recipient, Message-ID]} rows. */
    @Query("select d.recipient, d.messageId from EmailDelivery d where d.runId = ?1")
    List<Object[]> messageIds(String runId);
}
