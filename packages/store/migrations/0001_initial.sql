-- llmctl Studio schema v1. Migrations are plain SQL files applied in order by the store's migrator.

CREATE TABLE flowcharts (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  description   text,
  latest_version integer NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flowcharts_name_idx ON flowcharts (lower(name));

-- Every save is a new immutable version; runs pin the version they started on.
CREATE TABLE flowchart_versions (
  flowchart_id  text NOT NULL REFERENCES flowcharts(id) ON DELETE CASCADE,
  version       integer NOT NULL,
  document      jsonb NOT NULL,
  warnings      jsonb NOT NULL DEFAULT '[]',
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (flowchart_id, version)
);

CREATE TABLE runs (
  id                text PRIMARY KEY,
  flowchart_id      text NOT NULL REFERENCES flowcharts(id) ON DELETE CASCADE,
  flowchart_version integer NOT NULL,
  status            text NOT NULL,
  input             jsonb,
  output            jsonb,
  error             jsonb,
  warnings          jsonb NOT NULL DEFAULT '[]',
  leftover_tokens   jsonb NOT NULL DEFAULT '[]',
  continued_from    text,
  continued_to      text,
  parent_run_id     text,
  parent_node_run_id text,
  last_sequence     bigint NOT NULL DEFAULT 0,
  -- leases: one owner at a time, fencing epoch checked on every write
  lease_owner       text,
  lease_epoch       bigint NOT NULL DEFAULT 0,
  lease_expires_at  timestamptz,
  running_ms        bigint NOT NULL DEFAULT 0,
  running_since     timestamptz,
  request_id        text,
  correlation_id    text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz,
  finished_at       timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_flowchart_idx ON runs (flowchart_id, created_at DESC);
CREATE INDEX runs_active_idx ON runs (status) WHERE status IN ('queued','running','pausing','paused','canceling');

CREATE TABLE node_runs (
  id               text PRIMARY KEY,
  run_id           text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_id          text NOT NULL,
  node_type        text NOT NULL,
  iteration        integer NOT NULL,
  status           text NOT NULL,
  outcome          text,
  fallback_used    boolean NOT NULL DEFAULT false,
  degraded_reason  text,
  warnings         jsonb NOT NULL DEFAULT '[]',
  error            jsonb,
  input_snapshot   jsonb NOT NULL DEFAULT '{}',
  output           jsonb,
  routing          jsonb,
  attempts         jsonb NOT NULL DEFAULT '[]',
  idempotency_key  text NOT NULL,          -- a retry keeps the key of the node run it retries
  retry_of         text,
  rewound_from     text,
  queued_sequence  bigint NOT NULL,          -- event sequence that queued it (FIFO order)
  checkpoint_sequence bigint,                -- event sequence at which it started (rewind point)
  created_order    bigint NOT NULL,
  usage            jsonb,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz
);
CREATE INDEX node_runs_run_idx ON node_runs (run_id, created_order);
CREATE INDEX node_runs_key_idx ON node_runs (idempotency_key);

-- The per-run append-only event log: the truth. Gap-free sequence from runs.last_sequence.
CREATE TABLE run_events (
  run_id        text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  sequence      bigint NOT NULL,
  event_id      text NOT NULL,
  event_type    text NOT NULL,
  payload       jsonb NOT NULL,
  request_id    text,
  correlation_id text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, sequence)
);

-- Snapshots of the folded engine state, every ~50 events, so rewind and recovery fold only a tail of the log.
CREATE TABLE run_snapshots (
  run_id      text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  sequence    bigint NOT NULL,
  state       jsonb NOT NULL,
  PRIMARY KEY (run_id, sequence)
);

-- Model calls (scripted fail_times counting, traces, usage).
CREATE TABLE model_calls (
  id            text PRIMARY KEY,
  run_id        text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_run_id   text NOT NULL,
  node_id       text NOT NULL,
  model_name    text NOT NULL,
  provider      text NOT NULL,
  attempt       integer NOT NULL,
  kind          text NOT NULL DEFAULT 'chat',        -- chat | repair | agent_step
  response_index integer,
  status        text NOT NULL,                       -- succeeded | failed
  error         jsonb,
  usage         jsonb,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz
);
CREATE INDEX model_calls_run_idx ON model_calls (run_id, node_id);

-- Tool-call ledger: a key with a recorded result never runs again.
CREATE TABLE tool_calls (
  idempotency_key text PRIMARY KEY,
  run_id        text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_run_id   text NOT NULL,
  tool          text NOT NULL,
  input         jsonb,
  result        jsonb,
  status        text NOT NULL,                      -- started | succeeded | failed
  attempts      integer NOT NULL DEFAULT 0,
  correlation_id text,
  request_id    text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

CREATE TABLE tool_audit (
  id            bigserial PRIMARY KEY,
  idempotency_key text NOT NULL,
  tool          text NOT NULL,
  status        text NOT NULL,
  duration_ms   integer,
  error         jsonb,
  correlation_id text,
  request_id    text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE artifacts (
  id            text PRIMARY KEY,
  run_id        text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_run_id   text,
  kind          text NOT NULL,
  name          text NOT NULL,
  version       integer NOT NULL DEFAULT 1,
  media_type    text NOT NULL DEFAULT 'application/json',
  content       jsonb,
  uri           text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX artifacts_run_idx ON artifacts (run_id, created_at);

-- HTTP Idempotency-Key ledger.
CREATE TABLE idempotency_keys (
  key           text NOT NULL,
  scope         text NOT NULL,                      -- method + route + principal
  body_hash     text NOT NULL,
  status_code   integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

CREATE TABLE models (
  id            text PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  provider      text NOT NULL,
  model         text NOT NULL,
  base_url      text,
  settings      jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Provider credentials: api_key encrypted at rest (AES-256-GCM), never returned.
CREATE TABLE provider_credentials (
  provider      text PRIMARY KEY,
  api_key_enc   text,
  api_key_hint  text,
  base_url      text,
  settings      jsonb NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE runtime_settings (
  id            integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  settings      jsonb NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  id            text PRIMARY KEY,
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memories (
  id            text PRIMARY KEY,
  scope         text NOT NULL,                      -- 'global' or 'flowchart:<id>'
  text          text NOT NULL,
  flowchart_id  text,
  run_id        text,
  node_run_id   text,
  tsv           tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX memories_tsv_idx ON memories USING gin (tsv);

CREATE TABLE plans (
  plan_key      text NOT NULL,
  run_id        text NOT NULL,
  flowchart_id  text,
  items         jsonb NOT NULL DEFAULT '[]',
  status        text NOT NULL DEFAULT 'open',
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, plan_key)
);

CREATE TABLE milestones (
  milestone_key text NOT NULL,
  run_id        text NOT NULL,
  flowchart_id  text,
  title         text NOT NULL,
  status        text NOT NULL DEFAULT 'open',
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, milestone_key)
);

CREATE TABLE rag_collections (
  id            text PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  description   text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rag_documents (
  id            text PRIMARY KEY,
  collection_id text NOT NULL REFERENCES rag_collections(id) ON DELETE CASCADE,
  name          text NOT NULL,
  media_type    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rag_chunks (
  id            text PRIMARY KEY,
  collection_id text NOT NULL REFERENCES rag_collections(id) ON DELETE CASCADE,
  document_id   text NOT NULL REFERENCES rag_documents(id) ON DELETE CASCADE,
  ordinal       integer NOT NULL,
  text          text NOT NULL,
  tsv           tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
);
CREATE INDEX rag_chunks_tsv_idx ON rag_chunks USING gin (tsv);
