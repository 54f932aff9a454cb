-- Dispatch for Spring Boot, schema version 7: concurrency keys (@DispatchFunction(concurrencyKey, concurrencyPerKey)).
-- The value of a call's key, computed when it is recorded; claims count running calls per value. NULL: no key.
ALTER TABLE dispatch_invocation ADD COLUMN concurrency_key VARCHAR(255);
