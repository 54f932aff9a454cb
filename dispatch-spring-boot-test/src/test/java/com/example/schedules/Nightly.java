package com.example.schedules;

import dev.dispatch.CatchUp;
import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchSchedule;
import dev.dispatch.Dispatcher;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** Scheduled work: a nightly job, a slow job every minute, and one per catch-up policy every minute. */
@Service
class Nightly {

    private final Dispatcher dispatcher;

    private final AtomicInteger reports = new AtomicInteger();

    private final AtomicInteger slow = new AtomicInteger();

    private final AtomicInteger latest = new AtomicInteger();

    private final AtomicInteger all = new AtomicInteger();

    private final AtomicInteger none = new AtomicInteger();

    Nightly(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @DispatchSchedule(cron = "${nightly.cron:0 0 2 * * *}", zone = "Europe/Paris")
    @DispatchFunction
    public void report() {
        this.reports.incrementAndGet();
    }

    /** Runs 90 s (durably asleep): longer than its one-minute ticks, so every other tick is skipped. */
    @DispatchSchedule(cron = "0 * * * * *", zone = "UTC")
    @DispatchFunction
    public void slowEveryMinute() {
        this.slow.incrementAndGet();
        this.dispatcher.sleep(Duration.ofSeconds(90));
    }

    @DispatchSchedule(cron = "30 * * * * *", zone = "UTC")
    @DispatchFunction
    public void catchUpLatest() {
        this.latest.incrementAndGet();
    }

    @DispatchSchedule(cron = "30 * * * * *", zone = "UTC", catchUp = CatchUp.ALL)
    @DispatchFunction
    public void catchUpAll() {
        this.all.incrementAndGet();
    }

    @DispatchSchedule(cron = "30 * * * * *", zone = "UTC", catchUp = CatchUp.NONE)
    @DispatchFunction
    public void catchUpNone() {
        this.none.incrementAndGet();
    }

    public int[] counts() {
        return new int[] {this.reports.get(), this.slow.get(), this.latest.get(), this.all.get(), this.none.get()};
    }
}
