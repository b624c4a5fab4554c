-- Each node output written once (issue 17): the node.succeeded / node.skipped event holds it. A node run written since
-- this migration keeps output and routing NULL and names that event here; rows written before (or by a commit that did
-- not log the output) keep them inline with output_seq NULL. Reads: COALESCE through a join on run_events' primary key.
ALTER TABLE node_runs ADD COLUMN output_seq bigint;
-- Snapshots (format 3) keep large outputs by reference too: the sequences of the events holding them, read with the
-- snapshot in one statement (a column, so the large state is not decompressed twice to find them).
ALTER TABLE run_snapshots ADD COLUMN output_refs bigint[];
-- A snapshot is written once and read whole at a takeover: kept as json text (no jsonb parse on write, no jsonb
-- output on read; ->> still reads its format).
ALTER TABLE run_snapshots ALTER COLUMN state TYPE json USING state::json;
