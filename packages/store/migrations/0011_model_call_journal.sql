-- Model-call journal (issues 18, 19): every model call keeps what was sent and what came back, bounded (texts over
-- 16,000 characters are truncated with a marker, the full length kept), never credentials. Tool-loop steps carry an
-- idempotency key `<node run key>:model:<step>` so an interrupted or retried agent loop replays them.
ALTER TABLE model_calls
  ADD COLUMN idempotency_key text,
  ADD COLUMN step integer,
  ADD COLUMN repair_attempt integer,
  ADD COLUMN request jsonb,
  ADD COLUMN response jsonb,
  ADD COLUMN parsed_output jsonb,
  ADD COLUMN latency_ms integer,
  ADD COLUMN cost double precision,
  ADD COLUMN replayed_from text;
CREATE INDEX model_calls_key_idx ON model_calls (idempotency_key) WHERE idempotency_key IS NOT NULL;
