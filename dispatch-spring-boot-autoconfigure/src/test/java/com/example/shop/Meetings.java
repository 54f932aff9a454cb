package com.example.shop;

import dev.dispatch.DispatchFunction;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** A value that does not survive JSON unchanged: an offset date-time comes back in UTC. */
@Service
public class Meetings {

    private final Meetings self;

    public Meetings(@Lazy Meetings self) {
        this.self = self;
    }

    @DispatchFunction
    public OffsetDateTime meetingTime() {
        return OffsetDateTime.of(2026, 6, 1, 9, 30, 0, 0, ZoneOffset.ofHours(2));
    }

    /** Uses the value of a direct call: the same on its first run as on any replay. */
    @DispatchFunction
    public String describeMeeting() {
        return "at " + this.self.meetingTime();
    }
}
