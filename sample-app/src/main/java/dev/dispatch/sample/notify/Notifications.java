package dev.dispatch.sample.notify;

import dev.dispatch.Batch;
import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.List;
import org.springframework.stereotype.Service;

/** The fan-out workflow: one durable email call per user, dispatched together, without waiting for them. */
@Service
public class Notifications {

    public static final String NOTIFY_ALL_USERS = "notifications.notifyAllUsers";

    private final UserDirectory directory;

    private final EmailNotifications emails;

    private final Dispatcher dispatcher;

    public Notifications(UserDirectory directory, EmailNotifications emails, Dispatcher dispatcher) {
        this.directory = directory;
        this.emails = emails;
        this.dispatcher = dispatcher;
    }

    @DispatchFunction(name = NOTIFY_ALL_USERS)
    public void notifyAllUsers() {
        List<Recipient> users = this.directory.fetchUsers();
        Batch emailDelivery = this.dispatcher.batch();
        for (Recipient user : users) {
            emailDelivery.add(() -> this.emails.sendEmailNotification(user));
        }
        emailDelivery.dispatch();
    }
}
