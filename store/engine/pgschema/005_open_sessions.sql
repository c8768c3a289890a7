-- The open_sessions bucket is no longer stored on PostgreSQL (pg_open.go):
-- it is the sessions whose record says no final state, read through this
-- partial index, which costs an index entry per open session rather than
-- a row, a primary-key entry and an upsert. The predicate is
-- pg_open.go's pgOpenPredicate, word for word, so the queries that repeat
-- it use the index.
DELETE FROM pollen_records WHERE bucket = 'open_sessions'::bytea;
CREATE INDEX pollen_open_sessions ON pollen_records (key)
WHERE bucket = 'sessions'::bytea AND position('"state":"done"'::bytea in value) = 0 AND position('"state":"skipped"'::bytea in value) = 0 AND position('"state":"cancelled"'::bytea in value) = 0;
