-- The scheduler's leader lease: one row. A replica leads while its lease
-- has not expired (by the server's clock, so replicas' clocks do not
-- matter); each new leader raises token, and the writes a leader makes
-- check that the token is still theirs (a fencing token), so a leader
-- that was paused past its lease cannot write a round another planned.
CREATE TABLE pollen_leader (
    id      int PRIMARY KEY CHECK (id = 1),
    token   bigint NOT NULL,
    holder  text NOT NULL,
    expires timestamptz NOT NULL
);
INSERT INTO pollen_leader (id, token, holder, expires) VALUES (1, 0, '', '-infinity');
