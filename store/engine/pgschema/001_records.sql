-- Pollen's records on PostgreSQL: the same named buckets of ordered byte
-- keys as in the bbolt file (see store/kv.go), one row per record. Values
-- are the records' bytes as the store encodes them (JSON for the typed
-- records), so both backends hold the same data in the same shape.
CREATE TABLE pollen_buckets (
    name bytea PRIMARY KEY
);

CREATE TABLE pollen_records (
    bucket bytea NOT NULL REFERENCES pollen_buckets (name),
    key    bytea NOT NULL,
    value  bytea NOT NULL,
    PRIMARY KEY (bucket, key)
);
