package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchSchedule;
import org.springframework.stereotype.Service;

/** A schedule that never ticks during a test run (once a year), for operators to pause, resume and trigger. */
@Service
public class YearEnd {

    @DispatchSchedule(cron = "0 0 3 1 1 *", zone = "UTC")
    @DispatchFunction
    public String closeTheBooks() {
        return "closed";
    }
}
