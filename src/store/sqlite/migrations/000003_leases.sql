-- The dispatcher's heartbeat renews the leases of the items one worker holds.
CREATE INDEX outbox_claimed_by_worker ON outbox (worker_id) WHERE status = 'claimed';
