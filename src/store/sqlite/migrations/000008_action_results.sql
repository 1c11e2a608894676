-- What became of the actions of a scope and of a node: attempted (handed to a channel at least once),
-- succeeded, and failed, instead of one "dispatched" figure that counted a failed webhook as sent.
-- Attempted: claimed at least once, except a send dropped between its claim and its first attempt.
ALTER TABLE versions ADD COLUMN attempted_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE versions ADD COLUMN succeeded_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN attempted_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN succeeded_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE node_stats ADD COLUMN succeeded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE node_stats ADD COLUMN actions_failed INTEGER NOT NULL DEFAULT 0;

UPDATE versions SET
  attempted_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.version_id = versions.id AND o.claimed_at IS NOT NULL
                         AND NOT (o.status = 'done' AND COALESCE(json_extract(o.result, '$.skipped'), 0) = 1
                                  AND json_extract(o.result, '$.attempts') = 0)),
  succeeded_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.version_id = versions.id AND o.status = 'done'
                         AND json_extract(o.result, '$.ok') = 1);
UPDATE runs SET
  attempted_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.run_id = runs.id AND o.claimed_at IS NOT NULL
                         AND NOT (o.status = 'done' AND COALESCE(json_extract(o.result, '$.skipped'), 0) = 1
                                  AND json_extract(o.result, '$.attempts') = 0)),
  succeeded_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.run_id = runs.id AND o.status = 'done'
                         AND json_extract(o.result, '$.ok') = 1);
UPDATE node_stats SET
  succeeded = (SELECT COUNT(*) FROM outbox o WHERE o.version_id = node_stats.version_id
                  AND o.node_id = node_stats.node_id AND o.status = 'done' AND json_extract(o.result, '$.ok') = 1),
  actions_failed = (SELECT COUNT(*) FROM outbox o WHERE o.version_id = node_stats.version_id
                       AND o.node_id = node_stats.node_id AND o.status = 'done'
                       AND json_extract(o.result, '$.ok') = 0
                       AND COALESCE(json_extract(o.result, '$.skipped'), 0) = 0);

-- How many enrollments took each branch of a condition, or each path of a split (by label), kept up to
-- date by every step like node_stats; filled here from the result log written so far.
CREATE TABLE branch_stats (
  workspace_id  TEXT NOT NULL,
  version_id    TEXT NOT NULL,
  node_id       TEXT NOT NULL,
  branch        TEXT NOT NULL,
  taken         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, version_id, node_id, branch)
) WITHOUT ROWID;
INSERT INTO branch_stats (workspace_id, version_id, node_id, branch, taken)
SELECT workspace_id, version_id, node_id,
       CAST(COALESCE(json_extract(detail, '$.branch'), json_extract(detail, '$.path')) AS TEXT), COUNT(*)
  FROM log
 WHERE outcome = 'completed' AND resumed = 0 AND detail IS NOT NULL
   AND COALESCE(json_extract(detail, '$.branch'), json_extract(detail, '$.path')) IS NOT NULL
 GROUP BY 1, 2, 3, 4;
