package dev.dispatch.sample.notify;

import com.icegreen.greenmail.util.GreenMail;
import dev.dispatch.DispatchId;
import dev.dispatch.sample.mail.ReceivedMailLog;
import dev.dispatch.sample.runs.RunProgress;
import dev.dispatch.sample.runs.RunQueries;
import dev.dispatch.sample.runs.Workflow;
import dev.dispatch.sample.runs.WorkflowReport;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counts a {@code notifyAllUsers} run's emails per user. With the embedded SMTP server the counts come from the
 * server's own log of accepted messages, which survives restarts; with a real server, from the sample's
 * {@code email_delivery} table, written after each accepted send.
 */
@Component
public class NotificationReport implements WorkflowReport {

    private final RunQueries queries;

    private final EmailDeliveryRepository deliveries;

    private final ObjectProvider<ReceivedMailLog> receivedLog;

    private final ObjectProvider<GreenMail> greenMail;

    private final JsonMapper json;

    public NotificationReport(
            RunQueries queries,
            EmailDeliveryRepository deliveries,
            ObjectProvider<ReceivedMailLog> receivedLog,
            ObjectProvider<GreenMail> greenMail,
            JsonMapper json) {
        this.queries = queries;
        this.deliveries = deliveries;
        this.receivedLog = receivedLog;
        this.greenMail = greenMail;
        this.json = json;
    }

    @Override
    public Workflow workflow() {
        return Workflow.NOTIFY_ALL_USERS;
    }

    @Override
    public String progress(RunProgress progress) {
        RunProgress.Calls emails = progress.of(EmailNotifications.SEND_EMAIL_NOTIFICATION);
        if (emails.total() == 0) {
            return "notifyAllUsers [" + progress.id() + "] fetching users";
        }
        return "notifyAllUsers %d/%d sent, %d retried".formatted(emails.succeeded(), emails.total(), emails.retries());
    }

    @Override
    public String summary(RunProgress progress) {
        RunProgress.Calls emails = progress.of(EmailNotifications.SEND_EMAIL_NOTIFICATION);
        MailReport mail = report(progress.id());
        String calls = String.format(
                "notifyAllUsers [%s] %s in %.1f s: %d users, %d emails sent, %d failed attempts retried on their"
                        + " own, %d failed for good",
                progress.id(),
                progress.status(),
                progress.elapsed().toMillis() / 1000.0,
                mail.users(),
                emails.succeeded(),
                emails.retries(),
                emails.failed());
        String received = String.format(
                "notifyAllUsers [%s] the SMTP server received %d messages for the %d users: %d got exactly one, %d"
                        + " got two different emails, %d got none, %d got the same email again%s (counted in %s%s)",
                progress.id(),
                mail.messages(),
                mail.users(),
                mail.exactlyOne(),
                mail.differentEmails().size(),
                mail.none().size(),
                mail.sameEmailAgain().size(),
                mail.sameEmailAgain().isEmpty()
                        ? ""
                        : " (same Message-ID: a call a crash caught between the server's 250 OK and the record of its"
                                + " success ran again: " + mail.sameEmailAgain() + ")",
                mail.source(),
                mail.receivedByThisProcess() == null
                        ? ""
                        : "; " + mail.receivedByThisProcess() + " of them since this process started");
        return calls + "\n" + received;
    }

    /** The per-user counts of a run. */
    public MailReport report(DispatchId run) {
        String recorded = this.queries.result(run, UserDirectory.FETCH_USERS);
        List<Recipient> users =
                (recorded != null) ? this.json.readValue(recorded, new TypeReference<List<Recipient>>() {}) : List.of();
        ReceivedMailLog log = this.receivedLog.getIfAvailable();
        Map<String, List<String>> received; // recipient -> Message-IDs, one per message
        String source;
        if (log != null) {
            received = log.messageIdsByRecipient(run.value());
            source = log.file().toString();
        } else {
            received = new HashMap<>();
            for (Object[] row : this.deliveries.messageIds(run.value())) {
                received.computeIfAbsent((String) row[0], key -> new ArrayList<>())
                        .add((String) row[1]);
            }
            source = "the email_delivery table";
        }
        int messages = 0;
        int exactlyOne = 0;
        List<String> sameEmailAgain = new ArrayList<>();
        List<String> differentEmails = new ArrayList<>();
        List<String> none = new ArrayList<>();
        for (Recipient user : users) {
            List<String> ids = received.getOrDefault(user.email(), List.of());
            messages += ids.size();
            if (ids.size() == 1) {
                exactlyOne++;
            } else if (ids.isEmpty()) {
                none.add(user.email());
            } else if (new HashSet<>(ids).size() == 1) {
                sameEmailAgain.add(user.email() + " x" + ids.size());
            } else {
                differentEmails.add(user.email() + " x" + ids.size());
            }
        }
        return new MailReport(
                run.value(),
                users.size(),
                messages,
                exactlyOne,
                sameEmailAgain,
                differentEmails,
                none,
                source,
                inMemory(run));
    }

    private Integer inMemory(DispatchId run) {
        GreenMail server = this.greenMail.getIfAvailable();
        if (server == null) {
            return null;
        }
        return (int) Arrays.stream(server.getReceivedMessages())
                .filter(message -> belongsTo(message, run))
                .count();
    }

    private static boolean belongsTo(MimeMessage message, DispatchId run) {
        try {
            String[] header = message.getHeader(EmailNotifications.RUN_HEADER);
            return header != null && header[0].equals(run.value());
        } catch (MessagingException ex) {
            return false;
        }
    }
}
