package dev.dispatch.store;

/**
 * Signals from other nodes that work became due, so the scheduler claims it without waiting for its next poll.
 * Polling stays the backstop: a signal lost or never sent only delays work.
 */
public interface ReadySignals {

    /** No signals: the poller alone finds other nodes' work. */
    ReadySignals NONE = new ReadySignals() {
        @Override
        public void start(Runnable onSignal) {}

        @Override
        public void stop() {}
    };

    /** Starts listening; {@code onSignal} runs on the listener's thread and must be quick. */
    void start(Runnable onSignal);

    /** Stops listening. */
    void stop();
}
