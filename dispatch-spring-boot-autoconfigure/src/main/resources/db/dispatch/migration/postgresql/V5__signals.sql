-- Schema version 5: signals (Dispatcher.signal / awaitSignal). A signal waits in dispatch_signal until a wait takes it
-- (taken_by, the wait's step); a wait is the step of a function in awaitSignal, open until a signal or its time-out
-- ends it.
CREATE TABLE IF NOT EXISTS dispatch_signal (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    signal_key VARCHAR(255) NOT NULL,
    payload    TEXT NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    taken_by   VARCHAR(36),
    taken_at   TIMESTAMP(6) WITH TIME ZONE
);

CREATE INDEX dispatch_signal_key ON dispatch_signal (signal_key, created_at);

CREATE TABLE IF NOT EXISTS dispatch_signal_wait (
    group_id   VARCHAR(36)  NOT NULL PRIMARY KEY,
    parent_id  VARCHAR(36)  NOT NULL,
    root_id    VARCHAR(36)  NOT NULL,
    signal_key VARCHAR(255) NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    timeout_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    signal_id  VARCHAR(36),
    ended_at   TIMESTAMP(6) WITH TIME ZONE
);

CREATE INDEX dispatch_signal_wait_key ON dispatch_signal_wait (signal_key, created_at);

CREATE INDEX dispatch_signal_wait_root ON dispatch_signal_wait (root_id);
