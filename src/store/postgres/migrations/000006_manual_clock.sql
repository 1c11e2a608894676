-- The time a manual clock (`serve --clock manual`) reached, so that a restart on the same database
-- resumes from it instead of going back to the system time. One row at most; it only moves forward.
CREATE TABLE manual_clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at BIGINT NOT NULL
);
