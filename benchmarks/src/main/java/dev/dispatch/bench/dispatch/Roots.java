package dev.dispatch.bench.dispatch;

import dev.dispatch.DispatchFunction;
import dev.dispatch.Dispatcher;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;

/**
 * The roots of W1/W3 (a gather of n no-op children), W2 (n awaited direct calls in a row) and W5 (many small gathers).
 */
@Service
public class Roots {

    /** Nanoseconds of each step of the chain, as first measured (a replay answers from the record: not counted). */
    static volatile AtomicLongArray stepNanos = new AtomicLongArray(0);

    private final Dispatcher dispatcher;

    private final Children children;

    public Roots(Dispatcher dispatcher, Children children) {
        this.dispatcher = dispatcher;
        this.children = children;
    }

    public static void resetSteps(int n) {
        stepNanos = new AtomicLongArray(n);
    }

    public static long[] steps() {
        AtomicLongArray nanos = stepNanos;
        long[] copy = new long[nanos.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = nanos.get(i);
        }
        return copy;
    }

    @DispatchFunction
    public long fanOut(int n) {
        List<Integer> results =
                this.dispatcher.gather(IntStream.range(0, n).boxed().toList(), this.children::noop);
        long sum = 0;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) != i) {
                throw new IllegalStateException("result " + i + " is " + results.get(i));
            }
            sum += results.get(i);
        }
        return sum;
    }

    /** W5: one small run, a gather of {@code size} no-op children numbered from {@code first}. */
    @DispatchFunction
    public long smallRun(int first, int size) {
        List<Integer> results = this.dispatcher.gather(
                IntStream.range(first, first + size).boxed().toList(), this.children::noop);
        long sum = 0;
        for (int result : results) {
            sum += result;
        }
        return sum;
    }

    @DispatchFunction
    public long chain(int n) {
        AtomicLongArray nanos = stepNanos;
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            sum += this.children.step(i);
            nanos.compareAndSet(i, 0, System.nanoTime() - start);
        }
        return sum;
    }
}
