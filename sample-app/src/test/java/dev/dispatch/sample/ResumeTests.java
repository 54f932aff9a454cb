package dev.dispatch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import dev.dispatch.DispatchId;
import dev.dispatch.sample.mail.ReceivedMailLog;
import dev.dispatch.sample.notify.EmailNotifications;
import dev.dispatch.sample.notify.MailReport;
import dev.dispatch.sample.notify.NotificationReport;
import dev.dispatch.sample.runs.RunProgress;
import dev.dispatch.sample.runs.RunQueries;
import dev.dispatch.sample.runs.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stopping the application in the middle of a run and starting it again on the same H2 file (the application's own
 * database URL, under a fresh data directory): the second start
 * begins no new runs, the engine finishes the old ones, and no user gets a second email. (The kill -9 version of
 * this is the README's second demo, and the engine's own CrashRecoveryTests.)
 */
class ResumeTests {

    /** Fewer users than the demo's 300: enough to stop in the middle, quicker to finish. */
    static final int USERS = 120;

    @Test
    void aRestartFinishesTheUnfinishedRunInsteadOfStartingNewOnesAndSendsNoEmailTwice() throws Exception {
        Path dataDir = TestEnvironment.newDataDir();
        DispatchId run;
        long sentByFirst;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            RunQueries queries = first.getBean(RunQueries.class);
            run = queries.latest(Workflow.NOTIFY_ALL_USERS).orElseThrow();
            TestEnvironment.await(
                    "30 emails are sent",
                    Duration.ofSeconds(30),
                    () -> emails(queries, run).succeeded() >= 30);
        } // a graceful stop: running attempts finish, the pending ones stay recorded for the next start
        try (ConfigurableApplicationContext second = start(dataDir)) {
            RunQueries queries = second.getBean(RunQueries.class);
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(queries.latest(Workflow.NOTIFY_ALL_USERS)).contains(run);
            sentByFirst = emailsSentBefore(second, run);
            assertThat(sentByFirst).as("emails the first start sent").isBetween(30L, USERS - 1L);

            TestEnvironment.await(
                    "the run is finished",
                    Duration.ofSeconds(60),
                    () -> queries.progress(run).orElseThrow().finished());
            assertThat(jdbc.queryForObject(
                            "SELECT COUNT(*) FROM dispatch_invocation WHERE parent_id IS NULL", Integer.class))
                    .as("runs: the two started on the first start, none on the second")
                    .isEqualTo(2);

            MailReport report = second.getBean(NotificationReport.class).report(run);
            assertThat(report.users()).isEqualTo(USERS);
            assertThat(report.exactlyOne()).isEqualTo(USERS);
            assertThat(report.sameEmailAgain()).isEmpty();
            assertThat(report.differentEmails()).isEmpty();
            Map<String, List<String>> received =
                    second.getBean(ReceivedMailLog.class).messageIdsByRecipient(run.value());
            assertThat(received).hasSize(USERS);
            assertThat(received.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
            // the second start's SMTP server (empty on start) received exactly the emails the first did not send
            long receivedBySecond = java.util.Arrays.stream(
                            second.getBean(GreenMail.class).getReceivedMessages())
                    .filter(m -> run.value().equals(SampleApplicationTests.header(m, EmailNotifications.RUN_HEADER)))
                    .count();
            assertThat(receivedBySecond).isEqualTo(USERS - sentByFirst);
        }
    }

    private static long emailsSentBefore(ConfigurableApplicationContext second, DispatchId run) {
        // rows written by the first start: the second one's SMTP server had received nothing when it started them
        return second.getBean(JdbcTemplate.class)
                .queryForObject(
                        "SELECT COUNT(*) FROM email_delivery WHERE run_id = ? AND sent_at < ?",
                        Long.class,
                        run.value(),
                        java.sql.Timestamp.from(java.time.Instant.ofEpochMilli(second.getStartupDate())));
    }

    private static RunProgress.Calls emails(RunQueries queries, DispatchId run) {
        return queries.progress(run)
                .map(progress -> progress.of(EmailNotifications.SEND_EMAIL_NOTIFICATION))
                .orElse(new RunProgress.Calls(0, 0, 0, 0, 0));
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return SpringApplication.run(
                SampleApplication.class,
                "--spring.profiles.active=test",
                "--sample.data-dir=" + dataDir.toAbsolutePath(), // and the H2 file database in it, as the app has it
                "--sample.seed.users=" + USERS,
                "--sample.mail.port=" + TestEnvironment.freePort(),
                "--server.port=0");
    }
}
