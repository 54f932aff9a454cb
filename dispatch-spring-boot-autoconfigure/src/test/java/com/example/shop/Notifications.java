package com.example.shop;

import dev.dispatch.Batch;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.TemporaryFailureException;
import java.util.List;
import org.springframework.stereotype.Service;

/** The seed's fan-out: notify every user, each email its own durable call. */
@Service
public class Notifications {

    private final Directory directory;

    private final Mailer mailer;

    private final Dispatcher dispatcher;

    private final Ledger ledger;

    public Notifications(Directory directory, Mailer mailer, Dispatcher dispatcher, Ledger ledger) {
        this.directory = directory;
        this.mailer = mailer;
        this.dispatcher = dispatcher;
        this.ledger = ledger;
    }

    @DispatchFunction(initialBackoff = "10ms")
    public int notifyAllUsers() {
        List<User> users = this.directory.fetchUsers();
        Batch batch = this.dispatcher.batch();
        for (User user : users) {
            batch.add(() -> this.mailer.sendEmailNotification(user));
        }
        batch.dispatch();
        if (this.ledger.run("notifyAllUsers:after-batch")) {
            throw new TemporaryFailureException("the parent fails once after its batch");
        }
        return users.size();
    }
}
