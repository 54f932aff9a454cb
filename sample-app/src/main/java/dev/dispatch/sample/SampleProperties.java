package dev.dispatch.sample;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sample's settings, under {@code sample.*}.
 *
 * @param dataDir where the H2 database, the invoices, the object store and the mail server's log live
 * @param runOnStartup whether to start both workflows on start (unless an earlier run is unfinished: then it resumes)
 * @param seed how many rows to put in the empty tables on first start
 * @param mail the SMTP side
 */
@ConfigurationProperties("sample")
public record SampleProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("true") boolean runOnStartup,
        @DefaultValue Seed seed,
        @DefaultValue Mail mail) {

    /**
     * @param users users to notify
     * @param clients clients to invoice; client 17 has no billing address, on purpose
     */
    public record Seed(
            @DefaultValue("300") int users,
            @DefaultValue("40") int clients) {}

    /**
     * @param embedded whether to start the embedded SMTP server (GreenMail); false sends to {@code spring.mail.host}
     * @param port the embedded server's SMTP port
     * @param failureRate share of send attempts refused with a simulated "451 try again later", before sending
     * @param failureSeed makes the refusals repeatable (the same user and attempt is refused on every run); unset for
     *     random
     * @param from the sender address
     */
    public record Mail(
            @DefaultValue("true") boolean embedded,
            @DefaultValue("3025") int port,
            @DefaultValue("0.2") double failureRate,
            @Nullable Long failureSeed,
            @DefaultValue("notifications@dispatch.example") String from) {}

    public Path invoicesDir() {
        return this.dataDir.resolve("invoices");
    }

    public Path storeDir() {
        return this.dataDir.resolve("store");
    }

    public Path mailDir() {
        return this.dataDir.resolve("mail");
    }
}
