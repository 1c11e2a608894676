-- Waymark's PostgreSQL schema. Times are BIGINT milliseconds since the epoch. JSON documents are TEXT:
-- the store writes and reads them whole, and never queries inside them.
--
-- Differences from the SQLite schema, all for many workers sharing one database:
-- - Gauges (per version, per run, per node) live in sharded counter rows, never on the version or run
--   row: every step transaction adds to them, and one hot row would serialize all workers. A writer adds
--   to one shard; a reader sums the shards (a bounded number of rows: O(1) in enrollments).
-- - The claim sequence is a SEQUENCE, not a row.
-- - The matcher marks events consumed (`matched_at`) instead of keeping a cursor: events that commit out
--   of `seq` order (concurrent API nodes) are never skipped.
-- - The brake's locks are transaction-level advisory locks keyed by the version or run id (see
--   postgres-locks.ts), so that the version row itself is written only by lifecycle transitions.

CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);

CREATE TABLE journeys (
  workspace_id  TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  owner         TEXT,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);
CREATE INDEX journeys_by_workspace ON journeys (workspace_id, created_at);

CREATE TABLE versions (
  workspace_id       TEXT NOT NULL,
  id                 TEXT PRIMARY KEY,
  journey_id         TEXT NOT NULL REFERENCES journeys (id),
  number             INTEGER NOT NULL,
  status             TEXT NOT NULL,
  definition         TEXT NOT NULL,
  created_at         BIGINT NOT NULL,
  published_at       BIGINT,
  ended_at           BIGINT,
  closed_at          BIGINT,
  global_timeout_ms  BIGINT,
  pause_until        BIGINT,
  pause_then         TEXT,
  UNIQUE (journey_id, number)
);
CREATE INDEX versions_by_status ON versions (status);
-- At most one draft, and at most one live-or-paused version, per journey.
CREATE UNIQUE INDEX versions_one_draft ON versions (journey_id) WHERE status = 'draft';
CREATE UNIQUE INDEX versions_one_active ON versions (journey_id) WHERE status IN ('live', 'paused');

CREATE TABLE profiles (
  workspace_id  TEXT NOT NULL,
  id            TEXT NOT NULL,
  email         TEXT,
  timezone      TEXT,
  subscribed    BOOLEAN NOT NULL DEFAULT TRUE,
  attributes    TEXT NOT NULL DEFAULT '{}',
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE events (
  seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id  TEXT NOT NULL,
  event_id      TEXT NOT NULL,
  profile_id    TEXT NOT NULL,
  name          TEXT NOT NULL,
  payload       TEXT NOT NULL,
  occurred_at   BIGINT NOT NULL,
  received_at   BIGINT NOT NULL,
  matched_at    BIGINT,
  UNIQUE (workspace_id, event_id)
);
-- The matcher's queue: events not consumed yet, in ingestion order.
CREATE INDEX events_unmatched ON events (seq) WHERE matched_at IS NULL;

CREATE TABLE runs (
  workspace_id  TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  journey_id    TEXT NOT NULL,
  version_id    TEXT NOT NULL REFERENCES versions (id),
  status        TEXT NOT NULL,
  trigger       TEXT NOT NULL,
  started_at    BIGINT NOT NULL,
  ended_at      BIGINT,
  scanned       BIGINT NOT NULL DEFAULT 0,
  matched       BIGINT NOT NULL DEFAULT 0,
  enrolled      BIGINT NOT NULL DEFAULT 0,
  skipped       BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_version ON runs (workspace_id, version_id, started_at);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE enrollments (
  workspace_id     TEXT NOT NULL,
  id               TEXT PRIMARY KEY,
  journey_id       TEXT NOT NULL,
  version_id       TEXT NOT NULL REFERENCES versions (id),
  run_id           TEXT,
  profile_id       TEXT NOT NULL,
  node_id          TEXT NOT NULL,
  seq              INTEGER NOT NULL,
  entered_at       BIGINT NOT NULL,
  status           TEXT NOT NULL,
  due_at           BIGINT,
  awaiting_type    TEXT,
  awaiting_name    TEXT,
  awaiting_outbox  TEXT,
  input            TEXT,
  context          TEXT NOT NULL,
  ended_at         BIGINT,
  exit_reason      TEXT
);
-- One active enrollment per profile per journey.
CREATE UNIQUE INDEX enrollments_one_active
  ON enrollments (workspace_id, journey_id, profile_id) WHERE status = 'active';
-- Re-entry checks (`once`, `every`).
CREATE INDEX enrollments_reentry ON enrollments (workspace_id, journey_id, profile_id, entered_at);
-- A profile's enrollments across journeys (listing, remove-from-flow "all").
CREATE INDEX enrollments_by_profile ON enrollments (workspace_id, profile_id, entered_at);
-- The matcher's wake-up lookups.
CREATE INDEX enrollments_awaiting_event
  ON enrollments (workspace_id, profile_id, awaiting_name) WHERE awaiting_name IS NOT NULL;
-- Due claims, per version: a stopped version's rows are never scanned by a live version's claim.
CREATE INDEX enrollments_due
  ON enrollments (version_id, due_at) WHERE status = 'active' AND due_at IS NOT NULL;
-- The sweep's lookups: the active enrollments of one version, or of one run, whatever their due time.
CREATE INDEX enrollments_active_by_version ON enrollments (version_id) WHERE status = 'active';
CREATE INDEX enrollments_active_by_run ON enrollments (run_id) WHERE status = 'active' AND run_id IS NOT NULL;

-- The hot tables (outbox, log) carry no foreign keys: only the store writes them, from rows it has just
-- read in the same transaction.
CREATE TABLE outbox (
  workspace_id   TEXT NOT NULL,
  id             TEXT PRIMARY KEY,
  version_id     TEXT NOT NULL,
  run_id         TEXT,
  enrollment_id  TEXT NOT NULL,
  node_id        TEXT NOT NULL,
  payload        TEXT NOT NULL,
  retry          TEXT NOT NULL,
  status         TEXT NOT NULL,
  attempts       INTEGER NOT NULL DEFAULT 0,
  available_at   BIGINT NOT NULL,
  lease_until    BIGINT,
  worker_id      TEXT,
  claimed_at     BIGINT,
  claim_seq      BIGINT,
  last_error     TEXT,
  result         TEXT,
  created_at     BIGINT NOT NULL,
  completed_at   BIGINT
);
CREATE INDEX outbox_pending ON outbox (version_id, available_at) WHERE status = 'pending';
CREATE INDEX outbox_claimed ON outbox (version_id, lease_until) WHERE status = 'claimed';
CREATE INDEX outbox_claimed_by_worker ON outbox (worker_id) WHERE status = 'claimed';
CREATE INDEX outbox_by_enrollment ON outbox (enrollment_id);

CREATE TABLE log (
  workspace_id   TEXT NOT NULL,
  enrollment_id  TEXT NOT NULL,
  position       INTEGER NOT NULL,
  version_id     TEXT NOT NULL,
  node_id        TEXT NOT NULL,
  at             BIGINT NOT NULL,
  outcome        TEXT NOT NULL,
  resumed        BOOLEAN NOT NULL,
  detail         TEXT,
  PRIMARY KEY (enrollment_id, position)
);

-- Gauges of a scope (a version or a run; ids are unique across both), one row per shard.
CREATE TABLE scope_counters (
  scope_id            TEXT NOT NULL,
  shard               SMALLINT NOT NULL,
  active_enrollments  BIGINT NOT NULL DEFAULT 0,
  pending_outbox      BIGINT NOT NULL DEFAULT 0,
  claimed_outbox      BIGINT NOT NULL DEFAULT 0,
  done_outbox         BIGINT NOT NULL DEFAULT 0,
  cancelled_outbox    BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (scope_id, shard)
);

-- Per-node counters of a version, one row per shard.
CREATE TABLE node_stats (
  workspace_id       TEXT NOT NULL,
  version_id         TEXT NOT NULL,
  node_id            TEXT NOT NULL,
  shard              SMALLINT NOT NULL,
  entered            BIGINT NOT NULL DEFAULT 0,
  waiting            BIGINT NOT NULL DEFAULT 0,
  completed          BIGINT NOT NULL DEFAULT 0,
  failed             BIGINT NOT NULL DEFAULT 0,
  cancelled          BIGINT NOT NULL DEFAULT 0,
  dispatched         BIGINT NOT NULL DEFAULT 0,
  actions_cancelled  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (version_id, node_id, shard)
);

-- One audience schedule per version: its next fire time.
CREATE TABLE schedules (
  workspace_id  TEXT NOT NULL,
  version_id    TEXT PRIMARY KEY,
  next_at       BIGINT NOT NULL
);
CREATE INDEX schedules_due ON schedules (next_at);

CREATE TABLE dev_emails (
  workspace_id  TEXT NOT NULL,
  id            TEXT NOT NULL,
  to_address    TEXT NOT NULL,
  from_address  TEXT NOT NULL,
  subject       TEXT NOT NULL,
  html          TEXT,
  text          TEXT,
  received_at   BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX dev_emails_recent ON dev_emails (workspace_id, received_at);

-- One global, increasing sequence, taken by every outbox claim and every lifecycle write: an item whose
-- claim_seq is above a stop's audit seq was claimed after the stop committed (which the brake forbids).
CREATE SEQUENCE lifecycle_seq;

CREATE TABLE audit (
  workspace_id  TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  seq           BIGINT NOT NULL,
  at            BIGINT NOT NULL,
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
  at            BIGINT NOT NULL,
  type          TEXT NOT NULL,
  journey_id    TEXT,
  version_id    TEXT,
  title         TEXT NOT NULL,
  detail        TEXT NOT NULL,
  delivered_at  BIGINT,
  lease_until   BIGINT
);
CREATE INDEX notifications_recent ON notifications (workspace_id, at);
CREATE INDEX notifications_undelivered ON notifications (at) WHERE delivered_at IS NULL;

-- Entries that arrived while their version was paused with `pausedEntries: queue`: replayed on resume.
CREATE TABLE queued_entries (
  seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id  TEXT NOT NULL,
  version_id    TEXT NOT NULL,
  request       TEXT NOT NULL,
  queued_at     BIGINT NOT NULL
);
CREATE INDEX queued_entries_by_version ON queued_entries (version_id, seq);
