-- The dispatch outbox without reading the flowchart document for inline attempts (issue 17). The outbox trigger used to
-- detoast and scan the whole document of the run's version for every node.attempt_started, to find the node's
-- `executor`: ~0.25 ms per attempt for a 10-node document, ~0.5 ms for 1,000 nodes, on the hot path of every node.
-- `names_executor` says, per version, whether the document names an executor at all (a node's `executor` or
-- `settings.executor` key, even null: conservative); when it does not and the runtime setting is not a remote backend,
-- the trigger returns at once. Otherwise the decision is the one of 0009_executor_vllm_class.sql, unchanged.
ALTER TABLE flowchart_versions ADD COLUMN names_executor boolean NOT NULL
  GENERATED ALWAYS AS (jsonb_path_exists(document, '$.nodes[*].executor') OR COALESCE((document -> 'settings') ? 'executor', false)) STORED;

CREATE OR REPLACE FUNCTION llmctl_executor_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_run record;
  v_doc jsonb;
  v_node jsonb;
  v_backend text;
  v_provider text;
  v_fallback boolean;
  v_old record;
BEGIN
  SELECT r.flowchart_id, r.flowchart_version, r.lease_epoch, v.names_executor INTO v_run
    FROM runs r JOIN flowchart_versions v ON v.flowchart_id = r.flowchart_id AND v.version = r.flowchart_version WHERE r.id = NEW.run_id;
  -- Fast path: a document that names no executor anywhere runs every node on the runtime setting's backend; when that
  -- is inline there is no row to write, and the (possibly large) document is not read at all.
  IF v_run.names_executor IS NOT TRUE
     AND COALESCE((SELECT settings->>'executor' FROM runtime_settings WHERE id = 1), 'inline') NOT IN ('queue', 'kubernetes') THEN
    RETURN NULL;
  END IF;
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
  -- the vllm class: models served by vLLM inside the executor (vllm_local, or vllm without a base URL of its own)
  SELECT CASE WHEN provider = 'vllm_local' OR (provider = 'vllm' AND COALESCE(base_url, '') = '') THEN 'vllm_local' ELSE provider END
    INTO v_provider FROM models WHERE name = v_node->'config'->>'model';
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
