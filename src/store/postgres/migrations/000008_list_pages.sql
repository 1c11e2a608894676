-- Lists page by keyset (a sort time, then the id), never by OFFSET: each list's order is indexed.
CREATE INDEX outbox_by_version_created ON outbox (workspace_id, version_id, created_at, id);
CREATE INDEX runs_by_journey ON runs (workspace_id, journey_id, started_at, id);
CREATE INDEX journeys_page ON journeys (workspace_id, created_at, id);
CREATE INDEX notifications_page ON notifications (workspace_id, at, id);
CREATE INDEX notifications_page_by_journey ON notifications (workspace_id, journey_id, at, id);
CREATE INDEX dev_emails_page ON dev_emails (workspace_id, received_at, id);

-- The run a notification concerns (a run's abort or completion), so that a run can be found from it.
ALTER TABLE notifications ADD COLUMN run_id TEXT;
