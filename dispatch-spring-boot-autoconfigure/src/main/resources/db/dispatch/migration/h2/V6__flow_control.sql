-- Dispatch for Spring Boot, schema version 6: flow control. A call's priority (higher first among due calls) and its
-- turn (where it comes in its caller's work: lower first among equal priorities, so trees take turns); claims read
-- the claim index in that order.
ALTER TABLE dispatch_invocation ADD COLUMN priority INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE dispatch_invocation ADD COLUMN call_turn INTEGER DEFAULT 0 NOT NULL;
CREATE INDEX dispatch_invocation_claim ON dispatch_invocation (status, priority DESC, call_turn, next_attempt_at);

-- Rate limits (@DispatchFunction(rateLimit)): one token bucket per function, shared by every node.
CREATE TABLE dispatch_rate_limit (
    function_name VARCHAR(255) NOT NULL PRIMARY KEY,
    tokens        DOUBLE PRECISION NOT NULL,
    updated_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
