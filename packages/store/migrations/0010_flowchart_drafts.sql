-- Server-side drafts (issue 19): at most one working copy per flowchart, kept apart from the numbered versions.
-- A draft may be invalid; it is never run. Deleting the flowchart deletes its draft.
CREATE TABLE flowchart_drafts (
  flowchart_id text PRIMARY KEY REFERENCES flowcharts(id) ON DELETE CASCADE,
  document     jsonb NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
