package dev.dispatch.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchId;
import dev.dispatch.sample.invoice.ClientAccount;
import dev.dispatch.sample.invoice.ClientAccountRepository;
import dev.dispatch.sample.invoice.InvoiceReport;
import dev.dispatch.sample.invoice.InvoiceRun;
import dev.dispatch.sample.mail.SimulatedRefusals;
import dev.dispatch.sample.notify.EmailNotifications;
import dev.dispatch.sample.notify.Recipient;
import dev.dispatch.sample.notify.UserAccount;
import dev.dispatch.sample.notify.UserAccountRepository;
import dev.dispatch.sample.runs.RunProgress;
import dev.dispatch.sample.runs.RunQueries;
import dev.dispatch.sample.runs.Workflow;
import dev.dispatch.sample.store.Storage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * The application as a newcomer starts it: both workflows run on start, with a fifth of the send attempts refused,
 * against the embedded SMTP server, the PDF renderer and the local object store; and again through the REST API.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:sample-${random.uuid};DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

    static final Path dataDir = TestEnvironment.newDataDir();

    static final int smtpPort = TestEnvironment.freePort();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sample.data-dir", dataDir::toString);
        registry.add("sample.mail.port", () -> smtpPort);
    }

    @Autowired
    RunQueries queries;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    GreenMail greenMail;

    @Autowired
    UserAccountRepository users;

    @Autowired
    ClientAccountRepository clients;

    @Autowired
    SimulatedRefusals refusals;

    @Autowired
    InvoiceReport invoiceReport;

    @Autowired
    Storage storage;

    @LocalServerPort
    int port;

    @Test
    void notifyAllUsersRunsOnStartAndEveryUserReceivesExactlyOneEmail() throws Exception {
        DispatchId run = awaitStartupRun(Workflow.NOTIFY_ALL_USERS);

        List<String> emails = this.users.findAll().stream()
                .map(UserAccount::toRecipient)
                .map(Recipient::email)
                .toList();
        assertThat(emails).hasSize(300);
        Map<String, Long> received = Arrays.stream(this.greenMail.getReceivedMessagesForDomain("example.com"))
                .filter(message -> run.value().equals(header(message, EmailNotifications.RUN_HEADER)))
                .collect(Collectors.groupingBy(SampleApplicationTests::recipient, Collectors.counting()));
        assertThat(received).containsOnlyKeys(emails);
        assertThat(received.values()).as("emails per user").containsOnly(1L);

        // every refused attempt was retried on its own: the engine recorded exactly the refusals the seed dictates
        long expectedRefusals = this.users.findAll().stream()
                .map(UserAccount::toRecipient)
                .mapToLong(user -> refusedAttemptsBeforeSuccess(user.id()))
                .sum();
        RunProgress.Calls calls =
                this.queries.progress(run).orElseThrow().of(EmailNotifications.SEND_EMAIL_NOTIFICATION);
        assertThat(expectedRefusals).isGreaterThan(30);
        assertThat(calls.retries()).isEqualTo(expectedRefusals);
        assertThat(calls.succeeded()).isEqualTo(300);
    }

    @Test
    void generateInvoicesStoresAReadablePdfForEveryClientButTheOneWithoutBillingAddress(CapturedOutput output)
            throws Exception {
        DispatchId run = awaitStartupRun(Workflow.GENERATE_INVOICES);

        InvoiceRun outcome = this.invoiceReport.outcome(run).orElseThrow();
        List<ClientAccount> all = this.clients.findAll();
        assertThat(outcome.clients()).isEqualTo(all.size()).isEqualTo(40);
        assertThat(outcome.failed())
                .containsExactly(new InvoiceRun.Failed(
                        17, "Acme Corporation", "client 17 (Acme Corporation) has no billing address"));
        assertThat(outcome.stored()).hasSize(39);
        for (InvoiceRun.Stored stored : outcome.stored()) {
            assertThat(stored.uri().getScheme()).isEqualTo("file");
            Path object = Path.of(stored.uri());
            assertThat(object)
                    .startsWith(dataDir.resolve("store").toAbsolutePath())
                    .isRegularFile();
            assertThat(text(object)).contains("Bill to: " + stored.client()).contains("Total due:");
        }
        assertThat(outcome.stored())
                .extracting(InvoiceRun.Stored::clientId)
                .containsExactlyElementsOf(all.stream()
                        .map(ClientAccount::toClient)
                        .filter(client -> client.billingAddress() != null)
                        .map(client -> client.id())
                        .toList());

        // the engine recorded the bad client's invoice as failed for good, and said so in the log
        Map<String, Object> failed = this.jdbc.queryForMap(
                "SELECT status, error_status, attempts FROM dispatch_invocation WHERE root_id = ?"
                        + " AND function_name = 'invoices.generateInvoice' AND status <> 'SUCCEEDED'",
                run.value());
        assertThat(failed).containsEntry("STATUS", "FAILED").containsEntry("ERROR_STATUS", "PERMANENT_ERROR");
        assertThat(failed.get("ATTEMPTS")).isEqualTo(1);
        assertThat(output.getAll())
                .contains("failed with PERMANENT_ERROR: dev.dispatch.PermanentFailureException: client 17 (Acme"
                        + " Corporation) has no billing address; not retried");
    }

    @Test
    void restStartsRunsWith202AndLinksToTheirState() throws Exception {
        RestClient http = RestClient.create("http://localhost:" + this.port);
        // a run of the same workflow unfinished (the one started on startup) answers 409: let those finish first
        awaitStartupRun(Workflow.NOTIFY_ALL_USERS);
        awaitStartupRun(Workflow.GENERATE_INVOICES);

        JsonNode notifications = awaitFinished(http, start(http, "/notifications", "notifyAllUsers"));
        assertThat(notifications.at("/invocation/function").asString()).isEqualTo("notifications.notifyAllUsers");
        assertThat(notifications.at("/invocation/status").asString()).isEqualTo("SUCCEEDED");
        assertThat(notifications
                        .at("/calls/emails.sendEmailNotification/succeeded")
                        .asLong())
                .isEqualTo(300);
        String run = notifications.at("/invocation/id").asString();
        JsonNode report = http.get()
                .uri("/notifications/report?run={run}", run)
                .retrieve()
                .body(JsonNode.class);
        assertThat(report.get("users").asInt()).isEqualTo(300);
        assertThat(report.get("exactlyOne").asInt()).isEqualTo(300);
        assertThat(report.get("sameEmailAgain").asInt()).isZero();
        assertThat(report.get("differentEmails").asInt()).isZero();
        assertThat(report.get("none").asInt()).isZero();
        assertThat(report.toString()).as("no user's address").doesNotContain("@");

        JsonNode invoices = awaitFinished(http, start(http, "/invoices", "generateInvoices"));
        assertThat(invoices.at("/invocation/function").asString()).isEqualTo("invoices.generateInvoices");
        assertThat(invoices.at("/result/stored")).hasSize(39);
        assertThat(invoices.at("/result/failed/0/reason").asString())
                .isEqualTo("client 17 (Acme Corporation) has no billing address");
        assertThat(invoices.get("progress").asString()).contains("39 invoices stored", "1 failed");

        ResponseEntity<Void> unknown = http.get()
                .uri("/runs/{id}", UUID.randomUUID())
                .retrieve()
                .onStatus(HttpStatusCode::is4xxClientError, (request, response) -> {})
                .toBodilessEntity();
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    /**
     * What the sample exposes without authentication stays small: counts and root runs, one run of a workflow at a
     * time, uploads of invoices only. Nested, so that it runs after the tests above, which read the startup runs' log.
     */
    @Nested
    class Exposure {

        @Test
        void aPostWhileARunOfTheSameWorkflowIsUnfinishedAnswers409WithThatRun() {
            RestClient http = RestClient.create("http://localhost:" + SampleApplicationTests.this.port);
            // an unfinished run, due in an hour: as a run still sending would be
            String unfinished = UUID.randomUUID().toString();
            SampleApplicationTests.this.jdbc.update(
                    "INSERT INTO dispatch_invocation (id, function_name, arguments, status, attempts, max_attempts,"
                            + " next_attempt_at, root_id, created_at, updated_at, version) VALUES (?, ?, '[]', 'PENDING',"
                            + " 0, 5, DATEADD('HOUR', 1, CURRENT_TIMESTAMP), ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)",
                    unfinished,
                    Workflow.GENERATE_INVOICES.function(),
                    unfinished);
            try {
                ResponseEntity<JsonNode> conflict = http.post()
                        .uri("/invoices")
                        .retrieve()
                        .onStatus(HttpStatusCode::is4xxClientError, (request, response) -> {})
                        .toEntity(JsonNode.class);

                assertThat(conflict.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
                assertThat(conflict.getBody().get("id").asString()).isEqualTo(unfinished);
            } finally {
                SampleApplicationTests.this.jdbc.update("DELETE FROM dispatch_invocation WHERE id = ?", unfinished);
            }
        }

        @Test
        void runsShowRootRunsOnlyNeverAChildsRecordedValue() throws Exception {
            DispatchId run = awaitStartupRun(Workflow.NOTIFY_ALL_USERS);
            RestClient http = RestClient.create("http://localhost:" + SampleApplicationTests.this.port);
            String fetchUsers = SampleApplicationTests.this.jdbc.queryForObject(
                    "SELECT id FROM dispatch_invocation WHERE root_id = ? AND function_name = ?",
                    String.class,
                    run.value(),
                    "users.fetchUsers");

            for (String id : List.of(fetchUsers, "not-an-id", UUID.randomUUID().toString())) {
                ResponseEntity<String> response = http.get()
                        .uri("/runs/{id}", id)
                        .retrieve()
                        .onStatus(HttpStatusCode::is4xxClientError, (request, r) -> {})
                        .toEntity(String.class);
                assertThat(response.getStatusCode()).as(id).isEqualTo(HttpStatus.NOT_FOUND);
            }
            ResponseEntity<String> report = http.get()
                    .uri("/notifications/report?run={run}", fetchUsers)
                    .retrieve()
                    .onStatus(HttpStatusCode::is4xxClientError, (request, r) -> {})
                    .toEntity(String.class);
            assertThat(report.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        }

        @Test
        void uploadsAcceptOnlyInvoicesUnderTheInvoicesFolder() throws Exception {
            Path outside = dataDir.resolve("secret.pdf");
            java.nio.file.Files.writeString(outside, "not an invoice");
            Path invoices = dataDir.resolve("invoices");
            java.nio.file.Files.createDirectories(invoices);
            Path notPdf = invoices.resolve("notes.txt");
            java.nio.file.Files.writeString(notPdf, "not a pdf");

            for (String path : List.of(
                    outside.toString(),
                    notPdf.toString(),
                    invoices.resolve("../secret.pdf").toString(),
                    "/etc/passwd")) {
                assertThatThrownBy(() -> SampleApplicationTests.this.storage.upload(path))
                        .as(path)
                        .isInstanceOf(CallFailedException.class)
                        .hasMessageContaining("only invoices (PDF files under");
            }
        }
    }

    private static URI start(RestClient http, String path, String workflow) {
        ResponseEntity<JsonNode> started = http.post().uri(path).retrieve().toEntity(JsonNode.class);
        assertThat(started.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        JsonNode body = started.getBody();
        assertThat(body.get("workflow").asString()).isEqualTo(workflow);
        URI link = URI.create(body.get("link").asString());
        assertThat(link.getPath()).isEqualTo("/runs/" + body.get("id").asString());
        assertThat(started.getHeaders().getLocation()).isEqualTo(link);
        JsonNode state = http.get().uri(link).retrieve().body(JsonNode.class);
        assertThat(state.at("/invocation/id").asString())
                .isEqualTo(body.get("id").asString());
        return link;
    }

    private static JsonNode awaitFinished(RestClient http, URI link) throws InterruptedException {
        JsonNode[] state = new JsonNode[1];
        TestEnvironment.await(link + " is finished", Duration.ofSeconds(60), () -> {
            state[0] = http.get().uri(link).retrieve().body(JsonNode.class);
            return state[0].get("finished").asBoolean();
        });
        return state[0];
    }

    private DispatchId awaitStartupRun(Workflow workflow) throws InterruptedException {
        // the application started its runs before the tests began: the earliest root of the workflow
        DispatchId run = DispatchId.of(this.jdbc.queryForObject(
                "SELECT id FROM dispatch_invocation WHERE function_name = ? AND parent_id IS NULL"
                        + " ORDER BY created_at LIMIT 1",
                String.class,
                workflow.function()));
        TestEnvironment.await(
                workflow.label() + " is done",
                Duration.ofSeconds(60),
                () -> this.queries.progress(run).orElseThrow().finished());
        assertThat(this.queries.progress(run).orElseThrow().status().name()).isEqualTo("SUCCEEDED");
        return run;
    }

    private long refusedAttemptsBeforeSuccess(long userId) {
        int attempt = 1;
        while (this.refusals.isRefused(userId, attempt)) {
            attempt++;
        }
        return attempt - 1;
    }

    static String text(Path pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
            return new PDFTextStripper().getText(document);
        }
    }

    static String header(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values != null ? values[0] : null;
        } catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String recipient(MimeMessage message) {
        try {
            return message.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
