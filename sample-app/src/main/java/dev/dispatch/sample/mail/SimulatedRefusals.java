package dev.dispatch.sample.mail;

import dev.dispatch.TemporaryFailureException;
import dev.dispatch.sample.SampleProperties;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Refuses a share of send attempts ({@code sample.mail.failure-rate}) the way a busy mail provider answers "451 try
 * again later": before anything is sent, so a retry never duplicates an email. With {@code sample.mail.failure-seed}
 * set, whether an attempt is refused depends only on the seed, the user and the attempt number: runs repeat.
 */
@Component
public class SimulatedRefusals {

    private final double rate;

    private final Long seed;

    private final AtomicLong refused = new AtomicLong();

    public SimulatedRefusals(SampleProperties properties) {
        this.rate = properties.mail().failureRate();
        this.seed = properties.mail().failureSeed();
    }

    /** Throws a temporary failure for this share of attempts. */
    public void refuseSometimes(String recipient, long userId, int attempt) {
        if (isRefused(userId, attempt)) {
            this.refused.incrementAndGet();
            throw new TemporaryFailureException("451 4.7.1 " + recipient + ": try again later (simulated, attempt "
                    + attempt + ", sample.mail.failure-rate=" + this.rate + ")");
        }
    }

    /** Whether this attempt for this user is refused. */
    public boolean isRefused(long userId, int attempt) {
        double draw = (this.seed != null)
                ? new SplittableRandom(this.seed * 1_000_003L + userId * 31L + attempt).nextDouble()
                : ThreadLocalRandom.current().nextDouble();
        return draw < this.rate;
    }

    /** Attempts refused by this process. */
    public long refused() {
        return this.refused.get();
    }
}
