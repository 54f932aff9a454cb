package com.example.faults.stall;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** What the test sees of {@link Stalling}'s attempts, and how it lets the first one go on. */
@Component
public class FirstAttempt {

    final CountDownLatch inBody = new CountDownLatch(1);

    final CountDownLatch letGoOn = new CountDownLatch(1);

    final CountDownLatch done = new CountDownLatch(1);

    final AtomicInteger childRuns = new AtomicInteger();

    volatile Throwable unwoundBy;
}
