-- Link check (issue 16): every run of `python -m loaders linkcheck` and, per Kommune × Leistung, what the
-- Link answered. Append-only: the latest row per (ags, ozg_id) is the current verdict, older rows are the history.
CREATE SEQUENCE link_run_id_seq START 1;
CREATE TABLE link_check_run (
    id BIGINT PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    ags TEXT,                      -- the Kommune checked, NULL for all
    checked INTEGER NOT NULL,
    broken INTEGER NOT NULL
);

CREATE TABLE link_check (
    run_id BIGINT NOT NULL,
    ags TEXT NOT NULL,
    ozg_id TEXT NOT NULL,
    url TEXT NOT NULL,             -- the Link as stored when it was checked
    checked_at TIMESTAMP NOT NULL,
    http_status INTEGER,           -- final HTTP status, NULL when no answer
    error TEXT,                    -- German reason when the Link does not work (status >= 400, timeout, …)
    final_url TEXT,                -- after redirects
    ok BOOLEAN NOT NULL
);
-- @postgres
CREATE INDEX link_check_key ON link_check (ags, ozg_id, checked_at);
