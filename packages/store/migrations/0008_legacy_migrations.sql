-- Legacy llmctl migration (issue 16, docs/migration/): reports, the legacy id → flowchart mapping, rehearsals and
-- the one-time cutover initialisation flag.

-- One row per imported legacy flowchart (idempotent re-import: the same legacy id maps to the same flowchart).
CREATE TABLE legacy_imports (
  legacy_id     bigint PRIMARY KEY,
  flowchart_id  text NOT NULL UNIQUE REFERENCES flowcharts(id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Every report produced by POST /api/migrations/flowcharts (dry run or apply). flowchart_id has no foreign key: a
-- rolled-back created flowchart is deleted, its reports stay.
CREATE TABLE migration_reports (
  id                 text PRIMARY KEY,
  batch_id           text NOT NULL,
  legacy_id          bigint NOT NULL,
  name               text NOT NULL,
  status             text NOT NULL CHECK (status IN ('ready', 'blocked')),
  report             jsonb NOT NULL,
  flowchart_id       text,
  applied_version    integer,
  previous_version   integer,
  created_flowchart  boolean NOT NULL DEFAULT false,
  applied_at         timestamptz,
  rolled_back_at     timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX migration_reports_legacy_idx ON migration_reports (legacy_id, created_at DESC, id DESC);
CREATE INDEX migration_reports_created_idx ON migration_reports (created_at DESC, id DESC);

-- The latest rehearsal run of each imported flowchart (scripted provider).
CREATE TABLE migration_rehearsals (
  flowchart_id       text PRIMARY KEY REFERENCES flowcharts(id) ON DELETE CASCADE,
  flowchart_version  integer NOT NULL,
  run_id             text,
  status             text NOT NULL,
  error              jsonb,
  rehearsed_at       timestamptz NOT NULL DEFAULT now()
);

-- agent_runtime_cutover_enabled turns off once, when the first imported flowchart is applied.
CREATE TABLE migration_state (
  id                   integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  cutover_initialized  boolean NOT NULL DEFAULT false
);
