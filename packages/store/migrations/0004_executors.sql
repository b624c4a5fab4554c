-- Executor layer (docs/executors.md): the dispatch outbox, queue workers, and control requests between replicas.

-- One row per dispatched node attempt (backends other than inline). Written by the trigger below INSIDE the
-- orchestrator's commit that appends `node.attempt_started` (transactional outbox: no row for an uncommitted attempt,
-- no committed attempt without a row). The owner then hands it to its backend (pg-boss job / Kubernetes Job).
CREATE TABLE executor_dispatches (
  id              text PRIMARY KEY,                 -- <run id>:<sequence of the attempt.started event>
  run_id          text NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  node_run_id     text NOT NULL,
  node_id         text NOT NULL,
  flowchart_id    text NOT NULL,
  attempt         integer NOT NULL,
  sequence        bigint NOT NULL,
  lease_epoch     bigint NOT NULL,
  backend         text NOT NULL,                    -- queue | kubernetes
  class           text NOT NULL,                    -- frontier | vllm
  gpu_fallback    boolean NOT NULL DEFAULT true,
  state           text NOT NULL DEFAULT 'pending',  -- pending | submitted | confirmed | finished | failed
  job_id          text,
  worker_id       text,
  image           text,
  degraded_reason text,
  payload         jsonb,
  result          jsonb,
  error           jsonb,
  warnings        jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL DEFAULT now(),
  submitted_at    timestamptz,
  confirmed_at    timestamptz,
  finished_at     timestamptz,
  CHECK (state IN ('pending', 'submitted', 'confirmed', 'finished', 'failed'))
);
CREATE INDEX executor_dispatches_node_run_idx ON executor_dispatches (node_run_id, sequence DESC);
CREATE INDEX executor_dispatches_run_idx ON executor_dispatches (run_id);
CREATE INDEX executor_dispatches_live_idx ON executor_dispatches (state, flowchart_id) WHERE state IN ('pending', 'submitted', 'confirmed');

-- Queue workers (`llmctl worker`): heartbeats; `lost` = heartbeat older than its own heartbeat_timeout_s.
CREATE TABLE executor_workers (
  id                  text PRIMARY KEY,
  name                text NOT NULL,
  host                text NOT NULL,
  pid                 integer NOT NULL,
  classes             text[] NOT NULL,
  concurrency         integer NOT NULL,
  active              integer NOT NULL DEFAULT 0,
  status              text NOT NULL DEFAULT 'live',   -- live | draining
  heartbeat_timeout_s integer NOT NULL DEFAULT 30,
  started_at          timestamptz NOT NULL DEFAULT now(),
  heartbeat_at        timestamptz NOT NULL DEFAULT now()
);

-- Run control carried from a non-owner replica to the owner (LISTEN/NOTIFY request, reply after the owner's commit).
CREATE TABLE control_requests (
  id          text PRIMARY KEY,
  run_id      text NOT NULL,
  request     jsonb NOT NULL,
  status      text NOT NULL DEFAULT 'pending',       -- pending | done | failed
  response    jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz
);

-- The outbox trigger: which backend runs a node attempt is decided here, in the commit, from the node's `executor`,
-- the flowchart's `settings.executor`, then the runtime setting `executor` (default inline). Control nodes (start,
-- end, sub-flowchart) always run in the owner. A new attempt of a node run supersedes its older live dispatches.
CREATE FUNCTION llmctl_executor_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_run record;
  v_doc jsonb;
  v_node jsonb;
  v_backend text;
  v_provider text;
  v_fallback boolean;
  v_old record;
BEGIN
  SELECT flowchart_id, flowchart_version, lease_epoch INTO v_run FROM runs WHERE id = NEW.run_id;
  SELECT document INTO v_doc FROM flowchart_versions WHERE flowchart_id = v_run.flowchart_id AND version = v_run.flowchart_version;
  SELECT n INTO v_node FROM jsonb_array_elements(v_doc->'nodes') AS n WHERE n->>'id' = NEW.payload->>'node_id' LIMIT 1;
  IF v_node IS NULL OR v_node->>'type' IN ('start', 'end', 'flowchart') THEN
    RETURN NULL;
  END IF;
  v_backend := COALESCE(v_node->>'executor', v_doc->'settings'->>'executor',
    (SELECT settings->>'executor' FROM runtime_settings WHERE id = 1), 'inline');
  IF v_backend NOT IN ('queue', 'kubernetes') THEN
    RETURN NULL;
  END IF;
  SELECT provider INTO v_provider FROM models WHERE name = v_node->'config'->>'model';
  v_fallback := COALESCE((v_node->>'gpu_fallback')::boolean, (v_doc->'settings'->>'gpu_fallback')::boolean, true);
  FOR v_old IN
    UPDATE executor_dispatches SET state = 'failed', finished_at = now(),
      error = jsonb_build_object('code', 'interrupted', 'message', 'superseded by a newer attempt', 'details', jsonb_build_object('reason', 'superseded'), 'retryable', true)
    WHERE node_run_id = NEW.payload->>'node_run_id' AND state IN ('pending', 'submitted', 'confirmed')
    RETURNING id
  LOOP
    PERFORM pg_notify('llmctl_executor_abort', v_old.id);
  END LOOP;
  INSERT INTO executor_dispatches (id, run_id, node_run_id, node_id, flowchart_id, attempt, sequence, lease_epoch, backend, class, gpu_fallback)
  VALUES (NEW.run_id || ':' || NEW.sequence, NEW.run_id, NEW.payload->>'node_run_id', NEW.payload->>'node_id', v_run.flowchart_id,
    (NEW.payload->>'n')::int, NEW.sequence, v_run.lease_epoch, v_backend,
    CASE WHEN v_provider = 'vllm_local' THEN 'vllm' ELSE 'frontier' END, v_fallback);
  RETURN NULL;
END
$$;

CREATE TRIGGER run_events_executor_outbox AFTER INSERT ON run_events
  FOR EACH ROW WHEN (NEW.payload->>'kind' = 'node.attempt_started') EXECUTE FUNCTION llmctl_executor_outbox();
