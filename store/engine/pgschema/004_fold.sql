-- The records' bucket is no longer checked by a foreign key: the store
-- creates a bucket (pollen_buckets) before it writes a record in it and
-- never drops one, and the check was a trigger run for every row written
-- (a quarter of the time of a round of 500 sessions: 1,500 rows).
ALTER TABLE pollen_records DROP CONSTRAINT IF EXISTS pollen_records_bucket_fkey;

-- pollen_commits rows are folded from time to time (pg.go foldCommits):
-- the rows below one are deleted and their n added to it, in one
-- transaction, so every snapshot sums to the same version. Fold what has
-- gathered so far.
WITH last AS (SELECT max(id) AS id FROM pollen_commits),
gone AS (DELETE FROM pollen_commits WHERE id < (SELECT id FROM last) RETURNING n)
UPDATE pollen_commits SET n = n + (SELECT coalesce(sum(n), 0) FROM gone)
WHERE id = (SELECT id FROM last);
