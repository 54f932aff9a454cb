-- Dispatch for Spring Boot: schema for MySQL (8.0 and later) and MariaDB (10.6 and later). Applied by
-- dispatch.jdbc.initialize-schema; safe to run again. Versioned scripts for Flyway and Liquibase: db/dispatch/.
-- Text is utf8mb4 with binary collation (ids, function names and idempotency keys compare exactly). Times are
-- DATETIME(6) holding UTC: the engine writes and reads them as UTC whatever the session's time zone, and takes the
-- database's clock from UTC_TIMESTAMP(6). MySQL has neither partial indexes nor CREATE INDEX IF NOT EXISTS: run again,
-- an index or a column that exists already fails with its "duplicate" error, which the initializer passes over (and
-- only that error).
CREATE TABLE IF NOT EXISTS dispatch_invocation (
    id                VARCHAR(36)   NOT NULL,
    function_name     VARCHAR(255)  NOT NULL,
    arguments         LONGTEXT      NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    result            LONGTEXT,
    error_type        VARCHAR(255),
    error_message     LONGTEXT,
    error_status      VARCHAR(32),
    error_stack       LONGTEXT,
    attempts          INTEGER       NOT NULL,
    max_attempts      INTEGER       NOT NULL,
    next_attempt_at   DATETIME(6)   NOT NULL,
    lease_owner       VARCHAR(255),
    lease_expires_at  DATETIME(6),
    parent_id         VARCHAR(36),
    root_id           VARCHAR(36)   NOT NULL,
    step_index        INTEGER,
    group_id          VARCHAR(36),
    group_position    INTEGER,
    awaiting_group_id VARCHAR(36),
    idempotency_key   VARCHAR(255),
    trace_context     VARCHAR(2000),
    created_at        DATETIME(6)   NOT NULL,
    updated_at        DATETIME(6)   NOT NULL,
    completed_at      DATETIME(6),
    deadline_at       DATETIME(6),
    version           BIGINT        NOT NULL,
    CONSTRAINT dispatch_invocation_pk PRIMARY KEY (id),
    CONSTRAINT dispatch_invocation_idempotency_key UNIQUE (idempotency_key)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX dispatch_invocation_due ON dispatch_invocation (status, next_attempt_at);
CREATE INDEX dispatch_invocation_group ON dispatch_invocation (group_id, group_position);
CREATE INDEX dispatch_invocation_root ON dispatch_invocation (root_id);
CREATE INDEX dispatch_invocation_deadline ON dispatch_invocation (deadline_at);
CREATE INDEX dispatch_invocation_function ON dispatch_invocation (function_name, status, next_attempt_at);
CREATE INDEX dispatch_invocation_leased ON dispatch_invocation (status, lease_expires_at);
-- The console (dispatch.console.enabled): its runs list reads the newest roots, its chart the calls finished in the last
-- hour and its failures page the failures since a time.
CREATE INDEX dispatch_invocation_runs ON dispatch_invocation (parent_id, created_at);
-- Schema version 8: dispatch_invocation_runs serves the lookups by parent and retention's search for finished roots;
-- the two indexes that did (every call took an entry in each) are dropped from schemas made before, where they exist
-- (MySQL has no DROP INDEX IF EXISTS).
SET @dispatch_drop = (SELECT IFNULL(CONCAT('ALTER TABLE dispatch_invocation ',
        GROUP_CONCAT(DISTINCT CONCAT('DROP INDEX ', index_name) SEPARATOR ', ')), 'DO 0')
    FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'dispatch_invocation'
        AND index_name IN ('dispatch_invocation_parent', 'dispatch_invocation_finished_roots'));
PREPARE dispatch_drop FROM @dispatch_drop;
EXECUTE dispatch_drop;
DEALLOCATE PREPARE dispatch_drop;
CREATE INDEX dispatch_invocation_completed ON dispatch_invocation (completed_at);
-- Schema version 3: the actuator endpoint lists invocations newest first, all or of one function.
CREATE INDEX dispatch_invocation_created ON dispatch_invocation (created_at);
CREATE INDEX dispatch_invocation_function_created ON dispatch_invocation (function_name, created_at);

CREATE TABLE IF NOT EXISTS dispatch_call_group (
    id               VARCHAR(36)  NOT NULL,
    parent_id        VARCHAR(36)  NOT NULL,
    step_index       INTEGER      NOT NULL,
    kind             VARCHAR(16)  NOT NULL,
    size             INTEGER      NOT NULL,
    completed_count  INTEGER      NOT NULL,
    failed_count     INTEGER      NOT NULL,
    first_failure_id VARCHAR(36),
    winner_id        VARCHAR(36),
    signature        VARCHAR(64)  NOT NULL,
    created_at       DATETIME(6)  NOT NULL,
    decided_at       DATETIME(6),
    version          BIGINT       NOT NULL,
    CONSTRAINT dispatch_call_group_pk PRIMARY KEY (id),
    CONSTRAINT dispatch_call_group_step UNIQUE (parent_id, step_index)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Schema version 4: the schedules (@DispatchSchedule), one row per scheduled function, shared by every node.
CREATE TABLE IF NOT EXISTS dispatch_schedule (
    name        VARCHAR(255) NOT NULL PRIMARY KEY,
    cron        VARCHAR(255) NOT NULL,
    zone        VARCHAR(64)  NOT NULL,
    next_tick   DATETIME(6)  NOT NULL,
    last_tick   DATETIME(6),
    last_run_id VARCHAR(36),
    paused      BOOLEAN      NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    version     BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Schema version 5: signals (Dispatcher.signal / awaitSignal). A signal waits in dispatch_signal until a wait takes it
-- (taken_by, the wait's step); a wait is the step of a function in awaitSignal, open until a signal or its time-out
-- ends it.
CREATE TABLE IF NOT EXISTS dispatch_signal (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    signal_key VARCHAR(255) NOT NULL,
    payload    LONGTEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    taken_by   VARCHAR(36),
    taken_at   DATETIME(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX dispatch_signal_key ON dispatch_signal (signal_key, created_at);

CREATE TABLE IF NOT EXISTS dispatch_signal_wait (
    group_id   VARCHAR(36)  NOT NULL PRIMARY KEY,
    parent_id  VARCHAR(36)  NOT NULL,
    root_id    VARCHAR(36)  NOT NULL,
    signal_key VARCHAR(255) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    timeout_at DATETIME(6) NOT NULL,
    signal_id  VARCHAR(36),
    ended_at   DATETIME(6)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX dispatch_signal_wait_key ON dispatch_signal_wait (signal_key, created_at);

CREATE INDEX dispatch_signal_wait_root ON dispatch_signal_wait (root_id);

-- Schema version 6: flow control. A call's priority and its turn in its caller's work, in the order claims read.
ALTER TABLE dispatch_invocation ADD COLUMN priority INT NOT NULL DEFAULT 0;
ALTER TABLE dispatch_invocation ADD COLUMN call_turn INT NOT NULL DEFAULT 0;
CREATE INDEX dispatch_invocation_claim ON dispatch_invocation (status, priority DESC, call_turn, next_attempt_at);

-- Rate limits (@DispatchFunction(rateLimit)): one token bucket per function, shared by every node.
CREATE TABLE IF NOT EXISTS dispatch_rate_limit (
    function_name VARCHAR(255) NOT NULL PRIMARY KEY,
    tokens        DOUBLE       NOT NULL,
    updated_at    DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Schema version 7: concurrency keys. The value of a call's key, computed when it is recorded; NULL for none.
ALTER TABLE dispatch_invocation ADD COLUMN concurrency_key VARCHAR(255);
