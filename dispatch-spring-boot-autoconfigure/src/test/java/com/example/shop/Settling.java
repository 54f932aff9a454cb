package com.example.shop;

import dev.dispatch.CallFailedException;
import dev.dispatch.DispatchFunction;
import dev.dispatch.DispatchId;
import dev.dispatch.Dispatcher;
import dev.dispatch.Settled;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;

/** Checks numbers, failing for multiples of three, and reports on all of them with gatherSettled. */
@Service
public class Settling {

    private final Dispatcher dispatcher;

    private final Settling self;

    public Settling(Dispatcher dispatcher, @Lazy Settling self) {
        this.dispatcher = dispatcher;
        this.self = self;
    }

    @DispatchFunction(maxAttempts = 1)
    public int check(int n) {
        if (n % 3 == 0) {
            throw new IllegalStateException("multiple of three: " + n);
        }
        return n * 10;
    }

    /** "10,20,!3,40": each result, or ! and the number whose check failed. */
    @DispatchFunction
    public String report(int count) {
        List<Integer> numbers = IntStream.rangeClosed(1, count).boxed().toList();
        List<Settled<Integer>> outcomes = this.dispatcher.gatherSettled(numbers, this.self::check);
        return IntStream.range(0, outcomes.size())
                .mapToObj(i -> outcomes.get(i).succeeded()
                        ? String.valueOf(outcomes.get(i).value())
                        : "!" + numbers.get(i))
                .collect(Collectors.joining(","));
    }

    /** "dispatch now, report later": the result of a check dispatched earlier, or why it failed. */
    @DispatchFunction
    public String reportOn(String checkId) {
        try {
            int value = this.dispatcher.await(DispatchId.of(checkId));
            return "got " + value;
        } catch (CallFailedException ex) {
            return "failed: " + ex.errorMessage();
        }
    }
}
