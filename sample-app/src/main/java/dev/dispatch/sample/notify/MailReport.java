package dev.dispatch.sample.notify;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How many emails of one run each user received, as counted by the SMTP side.
 *
 * @param run the run (root invocation id)
 * @param users users the run notified (the recorded result of its {@code fetchUsers})
 * @param messages messages received for the run's users
 * @param exactlyOne users who received exactly one
 * @param sameEmailAgain users who received one email more than once, every copy with the same Message-ID: a call
 *     that a crash caught between the server's acceptance and the record of its success ran again
 * @param differentEmails users who received two different emails (different Message-IDs, so different calls): the
 *     duplicate Dispatch exists to prevent; should be none
 * @param none users who received none (yet)
 * @param source where the counts come from: the embedded server's log, or the email_delivery table
 * @param receivedByThisProcess messages of the run the embedded server holds in memory since this process started
 */
public record MailReport(
        String run,
        int users,
        int messages,
        int exactlyOne,
        List<String> sameEmailAgain,
        List<String> differentEmails,
        List<String> none,
        String source,
        @Nullable Integer receivedByThisProcess) {

    /** What the report page shows: the counts, without any user's address. */
    public Counts counts() {
        return new Counts(
                this.run,
                this.users,
                this.messages,
                this.exactlyOne,
                this.sameEmailAgain.size(),
                this.differentEmails.size(),
                this.none.size(),
                this.receivedByThisProcess);
    }

    /**
     * A run's email counts.
     *
     * @param run the run
     * @param users users the run notified
     * @param messages messages received for them
     * @param exactlyOne users who received exactly one
     * @param sameEmailAgain users who received one email more than once
     * @param differentEmails users who received two different emails
     * @param none users who received none (yet)
     * @param receivedByThisProcess messages of the run the embedded server holds since this process started
     */
    public record Counts(
            String run,
            int users,
            int messages,
            int exactlyOne,
            int sameEmailAgain,
            int differentEmails,
            int none,
            @Nullable Integer receivedByThisProcess) {}
}
