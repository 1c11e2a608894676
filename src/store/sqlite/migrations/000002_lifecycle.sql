-- The lifecycle: counters kept by every write (never by scans), pause, close and timeout facts on the
-- version row, the claim sequence, the audit log, notifications and entries queued while paused.

-- Per version: the gauges a lifecycle acknowledgement reads in O(1).
ALTER TABLE versions ADD COLUMN active_enrollments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE versions ADD COLUMN pending_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE versions ADD COLUMN claimed_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE versions ADD COLUMN done_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE versions ADD COLUMN cancelled_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE versions ADD COLUMN closed_at INTEGER;
ALTER TABLE versions ADD COLUMN global_timeout_ms INTEGER;
ALTER TABLE versions ADD COLUMN pause_until INTEGER;
ALTER TABLE versions ADD COLUMN pause_then TEXT;

-- Per run: the same gauges, scoped to the run's enrollments.
ALTER TABLE runs ADD COLUMN active_enrollments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN pending_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN claimed_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN done_outbox INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN cancelled_outbox INTEGER NOT NULL DEFAULT 0;

-- Per node: items claimed at least once (dispatched) and items cancelled before any claim.
ALTER TABLE node_stats ADD COLUMN dispatched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE node_stats ADD COLUMN actions_cancelled INTEGER NOT NULL DEFAULT 0;

-- The claim that last took the item, from `lifecycle_seq`: compared with an audit entry's seq, it says
-- whether an item was dispatched before or after a stop.
ALTER TABLE outbox ADD COLUMN claim_seq INTEGER;

-- One global, monotonically increasing sequence, bumped by every claim and every lifecycle write.
CREATE TABLE lifecycle_seq (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  value  INTEGER NOT NULL
);
INSERT INTO lifecycle_seq (id, value) VALUES (1, 0);

-- The sweep's lookups: the active enrollments of one version, or of one run, whatever their due time.
CREATE INDEX enrollments_active_by_version ON enrollments (version_id) WHERE status = 'active';
CREATE INDEX enrollments_active_by_run ON enrollments (run_id) WHERE status = 'active' AND run_id IS NOT NULL;
-- The sweep's scopes: aborted runs (versions already have versions_by_status).
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE audit (
  workspace_id  TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  seq           INTEGER NOT NULL,
  at            INTEGER NOT NULL,
  actor         TEXT NOT NULL,
  reason        TEXT NOT NULL,
  action        TEXT NOT NULL,
  journey_id    TEXT,
  version_id    TEXT,
  run_id        TEXT,
  counts        TEXT,
  detail        TEXT NOT NULL
);
CREATE INDEX audit_recent ON audit (workspace_id, seq);
CREATE INDEX audit_by_journey ON audit (workspace_id, journey_id, seq);

CREATE TABLE notifications (
  workspace_id  TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  at            INTEGER NOT NULL,
  type          TEXT NOT NULL,
  journey_id    TEXT,
  version_id    TEXT,
  title         TEXT NOT NULL,
  detail        TEXT NOT NULL,
  delivered_at  INTEGER,
  lease_until   INTEGER
);
CREATE INDEX notifications_recent ON notifications (workspace_id, at);
CREATE INDEX notifications_undelivered ON notifications (at) WHERE delivered_at IS NULL;

-- Entries that arrived while their version was paused with `pausedEntries: queue`: replayed on resume.
CREATE TABLE queued_entries (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id  TEXT NOT NULL,
  version_id    TEXT NOT NULL,
  request       TEXT NOT NULL,
  queued_at     INTEGER NOT NULL
);
CREATE INDEX queued_entries_by_version ON queued_entries (version_id, seq);

-- Existing databases: start the counters from what is stored (the only scan, once, at upgrade).
UPDATE versions SET
  active_enrollments = (SELECT COUNT(*) FROM enrollments e WHERE e.version_id = versions.id AND e.status = 'active'),
  pending_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.version_id = versions.id AND o.status = 'pending'),
  claimed_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.version_id = versions.id AND o.status = 'claimed'),
  done_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.version_id = versions.id AND o.status = 'done'),
  cancelled_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.version_id = versions.id AND o.status = 'cancelled'),
  closed_at = CASE WHEN status = 'closed' THEN CAST(unixepoch('subsec') * 1000 AS INTEGER) END;
UPDATE runs SET
  active_enrollments = (SELECT COUNT(*) FROM enrollments e WHERE e.run_id = runs.id AND e.status = 'active'),
  pending_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.run_id = runs.id AND o.status = 'pending'),
  claimed_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.run_id = runs.id AND o.status = 'claimed'),
  done_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.run_id = runs.id AND o.status = 'done'),
  cancelled_outbox = (SELECT COUNT(*) FROM outbox o WHERE o.run_id = runs.id AND o.status = 'cancelled');
UPDATE node_stats SET
  dispatched = (SELECT COUNT(*) FROM outbox o
                 WHERE o.version_id = node_stats.version_id AND o.node_id = node_stats.node_id
                   AND o.claimed_at IS NOT NULL),
  actions_cancelled = (SELECT COUNT(*) FROM outbox o
                        WHERE o.version_id = node_stats.version_id AND o.node_id = node_stats.node_id
                          AND o.status = 'cancelled');
