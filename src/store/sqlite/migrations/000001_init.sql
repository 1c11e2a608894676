-- Waymark's initial SQLite schema. Times are INTEGER milliseconds since the epoch; JSON columns are TEXT.

CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE journeys (
  workspace_id  TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  owner         TEXT,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX journeys_by_workspace ON journeys (workspace_id, created_at);

CREATE TABLE versions (
  workspace_id  TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  journey_id    TEXT NOT NULL REFERENCES journeys (id),
  number        INTEGER NOT NULL,
  status        TEXT NOT NULL,
  definition    TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  published_at  INTEGER,
  ended_at      INTEGER,
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
  subscribed    INTEGER NOT NULL DEFAULT 1,
  attributes    TEXT NOT NULL DEFAULT '{}',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, id)
);

CREATE TABLE events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id  TEXT NOT NULL,
  event_id      TEXT NOT NULL,
  profile_id    TEXT NOT NULL,
  name          TEXT NOT NULL,
  payload       TEXT NOT NULL,
  occurred_at   INTEGER NOT NULL,
  received_at   INTEGER NOT NULL,
  UNIQUE (workspace_id, event_id)
);

-- The matcher's single cursor: the last consumed events.seq. Global, like the matcher.
CREATE TABLE matcher_cursor (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq  INTEGER NOT NULL
);
INSERT INTO matcher_cursor (id, last_seq) VALUES (1, 0);

CREATE TABLE runs (
  workspace_id  TEXT NOT NULL,
  id            TEXT PRIMARY KEY,
  journey_id    TEXT NOT NULL,
  version_id    TEXT NOT NULL REFERENCES versions (id),
  status        TEXT NOT NULL,
  trigger       TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  scanned       INTEGER NOT NULL DEFAULT 0,
  matched       INTEGER NOT NULL DEFAULT 0,
  enrolled      INTEGER NOT NULL DEFAULT 0,
  skipped       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_version ON runs (workspace_id, version_id, started_at);

CREATE TABLE enrollments (
  workspace_id     TEXT NOT NULL,
  id               TEXT PRIMARY KEY,
  journey_id       TEXT NOT NULL,
  version_id       TEXT NOT NULL REFERENCES versions (id),
  run_id           TEXT,
  profile_id       TEXT NOT NULL,
  node_id          TEXT NOT NULL,
  seq              INTEGER NOT NULL,
  entered_at       INTEGER NOT NULL,
  status           TEXT NOT NULL,
  due_at           INTEGER,
  awaiting_type    TEXT,
  awaiting_name    TEXT,
  awaiting_outbox  TEXT,
  input            TEXT,
  context          TEXT NOT NULL,
  ended_at         INTEGER,
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

-- The hot tables (outbox, log) carry no foreign keys: each would cost an index probe per row on the
-- step path, and only the store writes them, from rows it has just read in the same transaction.
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
  available_at   INTEGER NOT NULL,
  lease_until    INTEGER,
  worker_id      TEXT,
  claimed_at     INTEGER,
  last_error     TEXT,
  result         TEXT,
  created_at     INTEGER NOT NULL,
  completed_at   INTEGER
);
CREATE INDEX outbox_pending ON outbox (version_id, available_at) WHERE status = 'pending';
CREATE INDEX outbox_claimed ON outbox (version_id, lease_until) WHERE status = 'claimed';
CREATE INDEX outbox_by_enrollment ON outbox (enrollment_id);

CREATE TABLE log (
  workspace_id   TEXT NOT NULL,
  enrollment_id  TEXT NOT NULL,
  position       INTEGER NOT NULL,
  version_id     TEXT NOT NULL,
  node_id        TEXT NOT NULL,
  at             INTEGER NOT NULL,
  outcome        TEXT NOT NULL,
  resumed        INTEGER NOT NULL,
  detail         TEXT,
  PRIMARY KEY (enrollment_id, position)
) WITHOUT ROWID;

CREATE TABLE node_stats (
  workspace_id  TEXT NOT NULL,
  version_id    TEXT NOT NULL,
  node_id       TEXT NOT NULL,
  entered       INTEGER NOT NULL DEFAULT 0,
  waiting       INTEGER NOT NULL DEFAULT 0,
  completed     INTEGER NOT NULL DEFAULT 0,
  failed        INTEGER NOT NULL DEFAULT 0,
  cancelled     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, version_id, node_id)
) WITHOUT ROWID;

-- One audience schedule per version: its next fire time.
CREATE TABLE schedules (
  workspace_id  TEXT NOT NULL,
  version_id    TEXT PRIMARY KEY,
  next_at       INTEGER NOT NULL
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
  received_at   INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, id)
);
CREATE INDEX dev_emails_recent ON dev_emails (workspace_id, received_at);
