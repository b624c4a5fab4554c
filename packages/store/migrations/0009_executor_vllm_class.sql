-- Executor classes: a `vllm` model without a base URL of its own is served by vLLM inside the executor, so it runs on
-- the vllm class like `vllm_local` (docs/executors.md "Roles"). Replaces the outbox function of 0004_executors.sql.
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
