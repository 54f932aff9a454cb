package com.example.shop;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import dev.dispatch.PermanentFailureException;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** any and race over quote providers that answer after a delay, or fail. */
@Service
public class Quotes {

    private final Dispatcher dispatcher;

    private final Quotes self;

    public Quotes(Dispatcher dispatcher, @Lazy Quotes self) {
        this.dispatcher = dispatcher;
        this.self = self;
    }

    /** A provider's quote: its name, after {@code delayMillis}; a negative delay fails after its absolute value. */
    @DispatchFunction(maxAttempts = 1)
    public String quote(String provider, int delayMillis) {
        try {
            // stands for a call that takes time: the test needs it running, not a delay to wait out
            Thread.sleep(Math.abs(delayMillis));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (delayMillis < 0) {
            throw new PermanentFailureException(provider + " is down");
        }
        return provider;
    }

    @DispatchFunction
    public String firstSuccess(List<Integer> delays) {
        return this.dispatcher.any(calls(delays));
    }

    @DispatchFunction
    public String firstToFinish(List<Integer> delays) {
        return this.dispatcher.race(calls(delays));
    }

    private List<Supplier<String>> calls(List<Integer> delays) {
        return java.util.stream.IntStream.range(0, delays.size())
                .<Supplier<String>>mapToObj(i -> () -> this.self.quote("p" + i, delays.get(i)))
                .toList();
    }
}
