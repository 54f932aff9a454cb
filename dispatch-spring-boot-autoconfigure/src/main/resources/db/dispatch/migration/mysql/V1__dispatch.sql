-- Dispatch for Spring Boot, schema version 1, for MySQL (8.0 and later) and MariaDB (10.6 and later).
-- For Flyway (spring.flyway.locations=...,classpath:db/dispatch/migration/{vendor}: the build copies this directory to
-- mariadb/ for Flyway's MariaDB vendor name) and Liquibase (db/dispatch/changelog.xml). See schema-mysql.sql for the types.
CREATE TABLE dispatch_invocation (
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
CREATE INDEX dispatch_invocation_parent ON dispatch_invocation (parent_id);
CREATE INDEX dispatch_invocation_root ON dispatch_invocation (root_id);
CREATE INDEX dispatch_invocation_deadline ON dispatch_invocation (deadline_at);
CREATE INDEX dispatch_invocation_function ON dispatch_invocation (function_name, status, next_attempt_at);
CREATE INDEX dispatch_invocation_leased ON dispatch_invocation (status, lease_expires_at);

CREATE TABLE dispatch_call_group (
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
