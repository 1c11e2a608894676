-- Called in the last message of a lock-last transaction (postgres-lock-last.ts): the shared locks, the
-- re-read of the scopes' statuses, the last writes and COMMIT travel together, so a scope that ended (or a
-- run that changed hands) before the locks were held must stop the message before its COMMIT. Raises
-- WM001 when `ended` is true; the transaction rolls back and runs again. Returns false otherwise.
CREATE FUNCTION waymark_scope_ended(ended boolean) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF ended THEN
    RAISE EXCEPTION 'a scope of the transaction ended before it held the shared locks' USING ERRCODE = 'WM001';
  END IF;
  RETURN false;
END
$$;
