-- A stopped version or an aborted run whose sweep is over: nothing active, nothing pending, nothing
-- claimed. It can never gain any of them again (a stopped version is never claimed nor entered; an
-- aborted run neither), so the sweep marks it and stops looking at it: the sweep's lookup (16 counter
-- shards per scope) grows with the scopes being swept, not with every stop and abort ever made.
ALTER TABLE versions ADD COLUMN swept_at BIGINT;
ALTER TABLE runs ADD COLUMN swept_at BIGINT;
CREATE INDEX versions_to_sweep ON versions (id) WHERE status = 'stopped' AND swept_at IS NULL;
CREATE INDEX runs_to_sweep ON runs (id) WHERE status = 'aborted' AND swept_at IS NULL;
