-- Audience runs are executed by whichever engine loop claims them (Store.claimRun), page by page, each
-- page one transaction (Store.writeRunPage): the claimer, its lease, and the profile id the next page
-- scans after.
ALTER TABLE runs ADD COLUMN executor TEXT;
ALTER TABLE runs ADD COLUMN lease_until INTEGER;
ALTER TABLE runs ADD COLUMN scan_after TEXT;

-- A run left running by an older Waymark (which executed it in memory) resumes after the last profile it
-- enrolled: profiles are scanned and enrolled in id order, so none of them enters twice.
UPDATE runs SET scan_after = (SELECT MAX(e.profile_id) FROM enrollments e WHERE e.run_id = runs.id)
 WHERE status = 'running';

-- Claims look for running runs, oldest first.
CREATE INDEX runs_to_execute ON runs (started_at) WHERE status = 'running';
