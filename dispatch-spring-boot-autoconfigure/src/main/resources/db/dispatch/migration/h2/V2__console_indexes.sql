-- Dispatch for Spring Boot, schema version 2: indexes for the console's runs list (the newest roots), its chart (calls
-- finished per minute) and its failures page. H2 has no partial indexes: every row enters them.
CREATE INDEX dispatch_invocation_runs ON dispatch_invocation (parent_id, created_at);
CREATE INDEX dispatch_invocation_completed ON dispatch_invocation (completed_at);
