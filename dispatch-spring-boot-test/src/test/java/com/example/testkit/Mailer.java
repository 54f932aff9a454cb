package com.example.testkit;

import dev.dispatch.DispatchFunction;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Service;

/** Sends mail: here, remembers what it sent. */
@Service
class Mailer {

    private final List<String> sent = new CopyOnWriteArrayList<>();

    /** What it sent, oldest first (a method: the bean is a proxy). */
    public List<String> sent() {
        return this.sent;
    }

    @DispatchFunction
    public String send(String to, String subject) {
        this.sent.add(subject + " to " + to);
        return subject;
    }
}
