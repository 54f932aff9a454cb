package dev.dispatch.sample.notify;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.springframework.data.domain.Persistable;

/**
 * One email the SMTP server accepted, written right after it did, in the {@code email_delivery} table. Keyed by the
 * id of the {@code sendEmailNotification} invocation that sent it: an attempt finding its own row knows an earlier
 * attempt sent the email already (it died before its success was recorded) and does not send it again.
 */
@Entity
@Table(name = "email_delivery")
public class EmailDelivery implements Persistable<String> {

    @Id
    @Column(name = "invocation_id")
    private String invocationId;

    @Column(name = "run_id")
    private String runId;

    @Column(name = "user_id")
    private long userId;

    private String recipient;

    @Column(name = "message_id")
    private String messageId;

    @Column(name = "sent_at")
    private Instant sentAt;

    /** The process that sent it: shows which emails went out before a kill and which after the restart. */
    private long pid;

    protected EmailDelivery() {}

    @Override
    public String getId() {
        return this.invocationId;
    }

    /** Always new: saving inserts at once, without a select first (the row is written while the email is in flight). */
    @Override
    public boolean isNew() {
        return true;
    }

    public EmailDelivery(
            String invocationId, String runId, Recipient user, String messageId, Instant sentAt, long pid) {
        this.invocationId = invocationId;
        this.runId = runId;
        this.userId = user.id();
        this.recipient = user.email();
        this.messageId = messageId;
        this.sentAt = sentAt;
        this.pid = pid;
    }
}
