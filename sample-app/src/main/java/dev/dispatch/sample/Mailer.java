package dev.dispatch.sample;

import dev.dispatch.DispatchFunction;
import dev.dispatch.TemporaryFailureException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Sends one email per call; fails now and then like a busy mail server, and is retried on its own. */
@Service
public class Mailer {

    private static final Logger logger = LoggerFactory.getLogger(Mailer.class);

    private final AtomicInteger sent = new AtomicInteger();

    private final AtomicInteger failed = new AtomicInteger();

    public int sent() {
        return this.sent.get();
    }

    public int failed() {
        return this.failed.get();
    }

    @DispatchFunction
    public void sendEmailNotification(User user) {
        if (ThreadLocalRandom.current().nextInt(100) < 20) {
            this.failed.incrementAndGet();
            throw new TemporaryFailureException("451 try again later: " + user.email());
        }
        int count = this.sent.incrementAndGet();
        if (count % 50 == 0) {
            logger.info("notifyAllUsers: {} sent, {} retried", count, this.failed.get());
        }
    }
}
