-- One row per committed write transaction: the store's version is their
-- count (sum of n) as a snapshot sees it, which moves when a write commits
-- and only then (an aborted transaction's row is never seen). Rows are
-- only ever inserted, so writers never contend on them; old rows may be
-- folded into one with their n summed.
CREATE TABLE pollen_commits (
    id bigserial PRIMARY KEY,
    n  bigint NOT NULL DEFAULT 1,
    at timestamptz NOT NULL DEFAULT now()
);
