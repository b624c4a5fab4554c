-- Indexes for every query the API and the background jobs make at a production's volume (issue 18), and the
-- retention settings' home.

-- Run list: newest first, keyset pagination on (created_at, id).
CREATE INDEX runs_created_idx ON runs (created_at DESC, id DESC);
-- Recovery scan: only active runs, ordered by when their lease expires.
CREATE INDEX runs_active_lease_idx ON runs (lease_expires_at)
  WHERE status IN ('queued','running','pausing','paused','canceling');
-- Retention: finished runs by age.
CREATE INDEX runs_finished_idx ON runs (finished_at) WHERE finished_at IS NOT NULL;
-- Chains and children (cascade of cancel, continue-as-new, sub-flowcharts).
CREATE INDEX runs_parent_idx ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;
CREATE INDEX runs_continued_from_idx ON runs (continued_from) WHERE continued_from IS NOT NULL;
-- Tool calls of a run (trace, deletion).
CREATE INDEX tool_calls_run_idx ON tool_calls (run_id);
-- Active node runs (metrics, recovery).
CREATE INDEX node_runs_active_idx ON node_runs (run_id) WHERE status IN ('queued','running');
