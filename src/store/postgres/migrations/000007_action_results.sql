-- What became of the actions of a scope and of a node: attempted (handed to a channel at least once),
-- succeeded, and failed, instead of one "dispatched" figure that counted a failed webhook as sent.
-- Attempted: claimed at least once, except a send dropped between its claim and its first attempt.
ALTER TABLE scope_counters ADD COLUMN attempted_outbox BIGINT NOT NULL DEFAULT 0;
ALTER TABLE scope_counters ADD COLUMN succeeded_outbox BIGINT NOT NULL DEFAULT 0;
ALTER TABLE node_stats ADD COLUMN succeeded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE node_stats ADD COLUMN actions_failed BIGINT NOT NULL DEFAULT 0;

-- The figures so far, from the outbox, added to shard 0 of each scope and node.
CREATE TEMPORARY TABLE outbox_results ON COMMIT DROP AS
SELECT workspace_id, version_id, run_id, node_id,
       (claimed_at IS NOT NULL AND NOT (status = 'done'
          AND COALESCE((result::jsonb ->> 'skipped')::boolean, false)
          AND (result::jsonb ->> 'attempts')::int = 0))::int AS attempted,
       (status = 'done' AND COALESCE((result::jsonb ->> 'ok')::boolean, false))::int AS succeeded,
       (status = 'done' AND NOT COALESCE((result::jsonb ->> 'ok')::boolean, true)
          AND NOT COALESCE((result::jsonb ->> 'skipped')::boolean, false))::int AS failed
  FROM outbox;

INSERT INTO scope_counters AS c (scope_id, shard, attempted_outbox, succeeded_outbox)
SELECT scope_id, 0, SUM(attempted), SUM(succeeded)
  FROM (SELECT version_id AS scope_id, attempted, succeeded FROM outbox_results
        UNION ALL
        SELECT run_id, attempted, succeeded FROM outbox_results WHERE run_id IS NOT NULL) s
 GROUP BY scope_id
ON CONFLICT (scope_id, shard) DO UPDATE SET
  attempted_outbox = c.attempted_outbox + excluded.attempted_outbox,
  succeeded_outbox = c.succeeded_outbox + excluded.succeeded_outbox;

INSERT INTO node_stats AS s (workspace_id, version_id, node_id, shard, succeeded, actions_failed)
SELECT workspace_id, version_id, node_id, 0, SUM(succeeded), SUM(failed)
  FROM outbox_results GROUP BY workspace_id, version_id, node_id
ON CONFLICT (version_id, node_id, shard) DO UPDATE SET
  succeeded = s.succeeded + excluded.succeeded,
  actions_failed = s.actions_failed + excluded.actions_failed;

-- How many enrollments took each branch of a condition, or each path of a split (by label), kept up to
-- date by every step like node_stats (one row per shard); filled here from the result log written so far.
CREATE TABLE branch_stats (
  workspace_id  TEXT NOT NULL,
  version_id    TEXT NOT NULL,
  node_id       TEXT NOT NULL,
  branch        TEXT NOT NULL,
  shard         SMALLINT NOT NULL,
  taken         BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (version_id, node_id, branch, shard)
);
INSERT INTO branch_stats (workspace_id, version_id, node_id, branch, shard, taken)
SELECT workspace_id, version_id, node_id, COALESCE(detail::jsonb ->> 'branch', detail::jsonb ->> 'path'), 0, COUNT(*)
  FROM log
 WHERE outcome = 'completed' AND NOT resumed AND detail IS NOT NULL
   AND COALESCE(detail::jsonb ->> 'branch', detail::jsonb ->> 'path') IS NOT NULL
 GROUP BY 1, 2, 3, 4;
