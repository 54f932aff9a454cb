-- Dispatch for Spring Boot, schema version 6: flow control. A call's priority (higher first among due calls) and its
-- turn (where it comes in its caller's work: lower first among equal priorities, so trees take turns); claims read
-- the claim index in that order (a descending key part: MySQL 8.0, MariaDB 10.8 and later).
ALTER TABLE dispatch_invocation ADD COLUMN priority INT NOT NULL DEFAULT 0;
ALTER TABLE dispatch_invocation ADD COLUMN call_turn INT NOT NULL DEFAULT 0;
CREATE INDEX dispatch_invocation_claim ON dispatch_invocation (status, priority DESC, call_turn, next_attempt_at);

-- Rate limits (@DispatchFunction(rateLimit)): one token bucket per function, shared by every node.
CREATE TABLE dispatch_rate_limit (
    function_name VARCHAR(255) NOT NULL PRIMARY KEY,
    tokens        DOUBLE       NOT NULL,
    updated_at    DATETIME(6)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
