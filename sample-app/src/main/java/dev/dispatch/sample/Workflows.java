package dev.dispatch.sample;

import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.InvocationInfo;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Runs both workflows once at startup and reports how they went. */
@Component
class Workflows implements ApplicationRunner {

    private static final Logger logger = LoggerFactory.getLogger(Workflows.class);

    private final Dispatcher dispatcher;

    private final Notifications notifications;

    private final Invoices invoices;

    private final Mailer mailer;

    Workflows(Dispatcher dispatcher, Notifications notifications, Invoices invoices, Mailer mailer) {
        this.dispatcher = dispatcher;
        this.notifications = notifications;
        this.invoices = invoices;
        this.mailer = mailer;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        DispatchId notify = this.dispatcher.dispatch(() -> this.notifications.notifyAllUsers());
        logger.info("notifyAllUsers dispatched as {}", notify);
        List<String> stored = this.invoices.generateInvoices();
        logger.info("generateInvoices stored {} invoices, first {}", stored.size(), stored.get(0));
        InvocationInfo info = this.dispatcher.awaitCompletion(notify, Duration.ofMinutes(1));
        while (this.mailer.sent() < 200) {
            Thread.sleep(100);
        }
        logger.info(
                "notifyAllUsers {}: {} emails sent, {} failed attempts retried on their own",
                info.status(),
                this.mailer.sent(),
                this.mailer.failed());
    }
}
