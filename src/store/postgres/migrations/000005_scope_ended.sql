-- Raised in the last message of a lock-last transaction (postgres-lock-last.ts): the shared locks, the
-- re-read of the scopes' statuses and COMMIT travel together, so a scope that ended before the locks were
-- held must stop the message before its COMMIT. The transaction rolls back and runs again.
CREATE FUNCTION waymark_scope_ended() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a scope of the transaction ended before it held the shared locks' USING ERRCODE = 'WM001';
END
$$;
