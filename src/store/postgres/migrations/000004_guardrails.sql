-- Final action results per action node and minute, counted by completeOutbox, so that the error-rate
-- guardrails read the same figures in every process (sharded like the counters: concurrent workers add
-- to different rows); and the last alert of each guardrail, so that one alert is raised per window
-- whichever process sees the rate first.
CREATE TABLE action_outcomes (
  workspace_id TEXT NOT NULL,
  version_id   TEXT NOT NULL,
  node_id      TEXT NOT NULL,
  bucket       BIGINT NOT NULL,
  shard        SMALLINT NOT NULL,
  ok           BIGINT NOT NULL DEFAULT 0,
  failed       BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (version_id, node_id, bucket, shard)
);
CREATE INDEX action_outcomes_by_bucket ON action_outcomes (bucket);

CREATE TABLE guardrail_alerts (
  workspace_id TEXT NOT NULL,
  version_id   TEXT NOT NULL,
  guardrail    INTEGER NOT NULL,
  alerted_at   BIGINT NOT NULL,
  PRIMARY KEY (version_id, guardrail)
);
