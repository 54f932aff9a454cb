-- Dispatch for Spring Boot, schema version 1, for H2 (2.x): the tables as the first release made them.
-- For Flyway (spring.flyway.locations=...,classpath:db/dispatch/migration/{vendor}) and Liquibase (db/dispatch/changelog.xml).
CREATE TABLE dispatch_invocation (
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
CREATE INDEX dispatch_invocation_due ON dispatch_invocation (status, next_attempt_at);
CREATE INDEX dispatch_invocation_group ON dispatch_invocation (group_id, group_position);
CREATE INDEX dispatch_invocation_parent ON dispatch_invocation (parent_id);
CREATE INDEX dispatch_invocation_root ON dispatch_invocation (root_id);
CREATE INDEX dispatch_invocation_deadline ON dispatch_invocation (deadline_at);
-- No index on (function_name, status) here, unlike PostgreSQL: H2 has no partial indexes, and a full one changes with
-- every status change (a third of W1's throughput in the benchmarks). Claims of a function with a concurrency limit use
-- dispatch_invocation_due and filter by function: fine for one process's backlog.

CREATE TABLE dispatch_call_group (
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
