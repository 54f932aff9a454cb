package dev.dispatch.sample;

import dev.dispatch.Batch;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import org.springframework.stereotype.Service;

/** Fan-out: one durable email call per user, fire and forget. */
@Service
public class Notifications {

    private final Directory directory;

    private final Mailer mailer;

    private final Dispatcher dispatcher;

    public Notifications(Directory directory, Mailer mailer, Dispatcher dispatcher) {
        this.directory = directory;
        this.mailer = mailer;
        this.dispatcher = dispatcher;
    }

    @DispatchFunction
    public void notifyAllUsers() {
        Batch batch = this.dispatcher.batch();
        for (User user : this.directory.fetchUsers()) {
            batch.add(() -> this.mailer.sendEmailNotification(user));
        }
        batch.dispatch();
    }
}
