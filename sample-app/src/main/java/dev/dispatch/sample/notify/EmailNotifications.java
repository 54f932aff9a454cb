package dev.dispatch.sample.notify;

import dev.dispatch.CurrentInvocation;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.sample.SampleProperties;
import dev.dispatch.sample.mail.SimulatedRefusals;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;

/**
 * {@code send_email_notification}: one email over SMTP per call. A refused attempt throws a temporary failure and
 * Dispatch retries this one call on its own, with backoff; the other users' calls are not affected.
 */
@Service
public class EmailNotifications {

    public static final String SEND_EMAIL_NOTIFICATION = "emails.sendEmailNotification";

    /** Header naming the run (the root invocation) an email belongs to; the reports count by it. */
    public static final String RUN_HEADER = "X-Dispatch-Run";

    private final JavaMailSender mailSender;

    private final SimulatedRefusals refusals;

    private final EmailDeliveryRepository deliveries;

    private final Dispatcher dispatcher;

    private final String from;

    private final long pid = ProcessHandle.current().pid();

    public EmailNotifications(
            JavaMailSender mailSender,
            SimulatedRefusals refusals,
            EmailDeliveryRepository deliveries,
            Dispatcher dispatcher,
            SampleProperties properties) {
        this.mailSender = mailSender;
        this.refusals = refusals;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.from = properties.mail().from();
    }

    // 10 attempts: with a fifth of attempts refused, a call fails for good with odds of 0.2^10, 1 in 10 million
    @DispatchFunction(name = SEND_EMAIL_NOTIFICATION, maxAttempts = 10, initialBackoff = "200ms", maxBackoff = "2s")
    public void sendEmailNotification(Recipient user) {
        CurrentInvocation call = this.dispatcher.current().orElseThrow();
        String invocationId = call.id().value();
        if (this.deliveries.existsById(invocationId)) {
            return; // an earlier attempt of this very call sent it, then died before Dispatch recorded its success
        }
        this.refusals.refuseSometimes(user.email(), user.id(), call.attempt()); // before sending: nothing went out
        // The invocation id is the same on every attempt of this call: a retried email keeps its Message-ID, so a
        // receiving system can drop a duplicate (JavaMailSender keeps a Message-ID that was set explicitly).
        String messageId = "<" + invocationId + "@dispatch.sample>";
        this.mailSender.send(email(user, messageId, call.rootId().value()));
        this.deliveries.save(
                new EmailDelivery(invocationId, call.rootId().value(), user, messageId, Instant.now(), this.pid));
    }

    private MimeMessage email(Recipient user, String messageId, String run) {
        MimeMessage message = this.mailSender.createMimeMessage();
        try {
            MimeMessageHelper email = new MimeMessageHelper(message, "UTF-8");
            email.setFrom(this.from);
            email.setTo(user.email());
            email.setSubject("Your account news, " + user.name());
            email.setText("Hello " + user.name() + ",\n\nthis is the notification every user gets exactly once.\n");
            message.setHeader("Message-ID", messageId);
            message.setHeader(RUN_HEADER, run);
        } catch (MessagingException ex) {
            throw new MailPreparationException(ex);
        }
        return message;
    }
}
