package dev.dispatch.aop;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's rate limit ({@code @DispatchFunction(rateLimit = "100/1s")}): at most {@code permits} attempts start per
 * {@code period}, across all nodes, from a token bucket in the database that holds at most {@code permits} tokens.
 *
 * @param permits attempts per period, at least 1
 * @param period the period, positive
 */
public record RateLimit(int permits, Duration period) {

    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*([smh])\\s*");

    public RateLimit {
        if (permits < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("A rate limit needs at least 1 permit per positive period");
        }
    }

    /**
     * Reads {@code N/Ps}, {@code N/Pm} or {@code N/Ph} (N attempts per P seconds, minutes or hours; P may be left out
     * for 1, as in {@code 100/s}).
     *
     * @throws IllegalArgumentException for any other text, saying what is expected
     */
    public static RateLimit parse(String text) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a rate: expected N/Ps, N/Pm or N/Ph, e.g. 100/1s");
        }
        int permits = Integer.parseInt(matcher.group(1));
        long count = matcher.group(2).isEmpty() ? 1 : Long.parseLong(matcher.group(2));
        Duration period = switch (matcher.group(3)) {
            case "s" -> Duration.ofSeconds(count);
            case "m" -> Duration.ofMinutes(count);
            default -> Duration.ofHours(count);
        };
        if (permits < 1 || period.isZero()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a rate: it needs at least 1 attempt per period of at least 1 unit");
        }
        return new RateLimit(permits, period);
    }

    @Override
    public String toString() {
        return this.permits + "/" + this.period.toSeconds() + "s";
    }
}
