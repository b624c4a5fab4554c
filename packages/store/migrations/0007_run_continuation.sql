-- Continue-as-new chains are bounded (issue 13, defect 8): each run knows its place in its chain.
ALTER TABLE runs ADD COLUMN continuation integer NOT NULL DEFAULT 0;
