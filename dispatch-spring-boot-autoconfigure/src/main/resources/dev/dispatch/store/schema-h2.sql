-- Dispatch for Spring Boot: schema for H2 (2.x). Applied by dispatch.jdbc.initialize-schema; safe to run again.
CREATE TABLE IF NOT EXISTS dispatch_invocation (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    function_name     VARCHAR(255) NOT NULL,
    arguments         VARCHAR      NOT NULL,
    status            VARCHAR(16)  NOT NULL,
    result            VARCHAR,
    error_type        VARCHAR(255),
    error_message     VARCHAR,
    error_status      VARCHAR(32),
    error_stack       VARCHAR,
    attempts          INTEGER      NOT NULL,
    max_attempts      INTEGER      NOT NULL,
    next_attempt_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    lease_owner       VARCHAR(255),
    lease_expires_at  TIMESTAMP(6) WITH TIME ZONE,
    parent_id         VARCHAR(36),
    root_id           VARCHAR(36)  NOT NULL,
    step_index        INTEGER,
    group_id          VARCHAR(36),
    group_position    INTEGER,
    awaiting_group_id VARCHAR(36),
    idempotency_key   VARCHAR(255),
    trace_context     VARCHAR(2000),
    created_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    completed_at      TIMESTAMP(6) WITH TIME ZONE,
    deadline_at       TIMESTAMP(6) WITH TIME ZONE,
    version           BIGINT       NOT NULL,
    CONSTRAINT dispatch_invocation_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX IF NOT EXISTS dispatch_invocation_due ON dispatch_invocation (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS dispatch_invocation_group ON dispatch_invocation (group_id, group_position);
CREATE INDEX IF NOT EXISTS dispatch_invocation_root ON dispatch_invocation (root_id);
-- Added after the first release: tables created before get the column here.
ALTER TABLE dispatch_invocation ADD COLUMN IF NOT EXISTS deadline_at TIMESTAMP(6) WITH TIME ZONE;
CREATE INDEX IF NOT EXISTS dispatch_invocation_deadline ON dispatch_invocation (deadline_at);
-- The console (dispatch.console.enabled): its runs list reads the newest roots, its chart the calls finished in the last
-- hour and its failures page the failures since a time. H2 has no partial indexes: every row enters these two, once
-- when recorded and once when it finishes (neither column changes on the way).
CREATE INDEX IF NOT EXISTS dispatch_invocation_runs ON dispatch_invocation (parent_id, created_at);
-- Schema version 8: dispatch_invocation_runs serves the lookups by parent and retention's search for finished roots;
-- the two indexes that did (every call took an entry in each) are dropped from schemas made before.
DROP INDEX IF EXISTS dispatch_invocation_parent;
DROP INDEX IF EXISTS dispatch_invocation_finished_roots;
CREATE INDEX IF NOT EXISTS dispatch_invocation_completed ON dispatch_invocation (completed_at);
-- Schema version 3: the actuator endpoint lists invocations newest first, all or of one function.
CREATE INDEX IF NOT EXISTS dispatch_invocation_created ON dispatch_invocation (created_at);
CREATE INDEX IF NOT EXISTS dispatch_invocation_function_created ON dispatch_invocation (function_name, created_at);
-- No index on (function_name, status) here, unlike PostgreSQL: H2 has no partial indexes, and a full one changes with
-- every status change (a third of W1's throughput in the benchmarks). Claims of a function with a concurrency limit use
-- dispatch_invocation_due and filter by function: fine for one process's backlog.

CREATE TABLE IF NOT EXISTS dispatch_call_group (
    id               VARCHAR(36) NOT NULL PRIMARY KEY,
    parent_id        VARCHAR(36) NOT NULL,
    step_index       INTEGER     NOT NULL,
    kind             VARCHAR(16) NOT NULL,
    size             INTEGER     NOT NULL,
    completed_count  INTEGER     NOT NULL,
    failed_count     INTEGER     NOT NULL,
    first_failure_id VARCHAR(36),
    winner_id        VARCHAR(36),
    signature        VARCHAR(64) NOT NULL,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    decided_at       TIMESTAMP(6) WITH TIME ZONE,
    version          BIGINT      NOT NULL,
    CONSTRAINT dispatch_call_group_step UNIQUE (parent_id, step_index)
);

-- Schema version 4: the schedules (@DispatchSchedule), one row per scheduled function, shared by every node.
CREATE TABLE IF NOT EXISTS dispatch_schedule (
    name        VARCHAR(255) NOT NULL PRIMARY KEY,
    cron        VARCHAR(255) NOT NULL,
    zone        VARCHAR(64)  NOT NULL,
    next_tick   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_tick   TIMESTAMP(6) WITH TIME ZONE,
    last_run_id VARCHAR(36),
    paused      BOOLEAN      NOT NULL,
    updated_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    version     BIGINT       NOT NULL
);

-- Schema version 5: signals (Dispatcher.signal / awaitSignal). A signal waits in dispatch_signal until a wait takes it
-- (taken_by, the wait's step); a wait is the step of a function in awaitSignal, open until a signal or its time-out
-- ends it.
CREATE TABLE IF NOT EXISTS dispatch_signal (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    signal_key VARCHAR(255) NOT NULL,
    payload    VARCHAR NOT NULL,
    created_at TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    taken_by   VARCHAR(36),
    taken_at   TIMESTAMP(6) WITH TIME ZONE
);

CREATE INDEX IF NOT EXISTS dispatch_signal_key ON dispatch_signal (signal_key, created_at);

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

CREATE INDEX IF NOT EXISTS dispatch_signal_wait_key ON dispatch_signal_wait (signal_key, created_at);

CREATE INDEX IF NOT EXISTS dispatch_signal_wait_root ON dispatch_signal_wait (root_id);

-- Schema version 6: flow control. A call's priority and its turn in its caller's work, in the order claims read.
ALTER TABLE dispatch_invocation ADD COLUMN IF NOT EXISTS priority INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE dispatch_invocation ADD COLUMN IF NOT EXISTS call_turn INTEGER DEFAULT 0 NOT NULL;
CREATE INDEX IF NOT EXISTS dispatch_invocation_claim
    ON dispatch_invocation (status, priority DESC, call_turn, next_attempt_at);

-- Rate limits (@DispatchFunction(rateLimit)): one token bucket per function, shared by every node.
CREATE TABLE IF NOT EXISTS dispatch_rate_limit (
    function_name VARCHAR(255) NOT NULL PRIMARY KEY,
    tokens        DOUBLE PRECISION NOT NULL,
    updated_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- Schema version 7: concurrency keys. The value of a call's key, computed when it is recorded; NULL for none.
ALTER TABLE dispatch_invocation ADD COLUMN IF NOT EXISTS concurrency_key VARCHAR(255);
