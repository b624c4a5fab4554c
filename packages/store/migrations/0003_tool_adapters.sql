-- Columns and indexes the PostgreSQL adapters of the tool ports need (packages/store/src/tool-adapters).

-- Audit records carry the run correlation and how many attempts the invocation ran.
ALTER TABLE tool_audit ADD COLUMN run_id text;
ALTER TABLE tool_audit ADD COLUMN node_run_id text;
ALTER TABLE tool_audit ADD COLUMN attempts integer NOT NULL DEFAULT 0;
CREATE INDEX tool_audit_key_idx ON tool_audit (idempotency_key, id);
CREATE INDEX tool_audit_run_idx ON tool_audit (run_id, id);

-- Artifacts remember the tool call that produced them; versions are unique per (run, kind, name); `seq` orders them.
ALTER TABLE artifacts ADD COLUMN idempotency_key text;
ALTER TABLE artifacts ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX artifacts_version_uq ON artifacts (run_id, kind, name, version);
CREATE INDEX artifacts_run_seq_idx ON artifacts (run_id, seq);

-- Memories: `seq` breaks created_at ties (newest first); filters by scope, flowchart and run.
ALTER TABLE memories ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX memories_scope_idx ON memories (scope, seq DESC);
CREATE INDEX memories_flowchart_idx ON memories (flowchart_id, seq DESC);
CREATE INDEX memories_run_idx ON memories (run_id, seq DESC);

-- Plans and milestones: `seq` increases on every update (most recently updated first).
CREATE SEQUENCE special_state_seq;
ALTER TABLE plans ADD COLUMN seq bigint NOT NULL DEFAULT nextval('special_state_seq');
ALTER TABLE milestones ADD COLUMN seq bigint NOT NULL DEFAULT nextval('special_state_seq');
CREATE INDEX plans_flowchart_idx ON plans (flowchart_id, seq DESC);
CREATE INDEX milestones_flowchart_idx ON milestones (flowchart_id, seq DESC);

-- RAG: chunks in document order; documents listed per collection.
CREATE INDEX rag_chunks_document_idx ON rag_chunks (document_id, ordinal);
CREATE INDEX rag_documents_collection_idx ON rag_documents (collection_id, created_at);
