-- Dispatch for Spring Boot, schema version 2: indexes for the console's runs list (the newest roots), its chart (calls
-- finished per minute) and its failures page; partial, so only roots enter the first and finished rows the second.
CREATE INDEX dispatch_invocation_runs ON dispatch_invocation (created_at) WHERE parent_id IS NULL;
CREATE INDEX dispatch_invocation_completed ON dispatch_invocation (completed_at) WHERE completed_at IS NOT NULL;
