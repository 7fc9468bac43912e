-- Bund-Abgleich (issue 15): snapshots of the federal „Dashboard Digitale Verwaltung“ export (PVOG data).
-- Each import is one dated snapshot; earlier snapshots are kept, so the comparison can be shown for any date
-- (the latest snapshot whose Stand is on or before that day).
CREATE SEQUENCE bund_snapshot_id_seq START 1;
CREATE TABLE bund_snapshot (
    id BIGINT PRIMARY KEY,
    stand DATE NOT NULL,           -- the day the federal data describes (--stand, default: day of import)
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    user_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    records INTEGER NOT NULL,
    unknown_ozg_ids INTEGER NOT NULL DEFAULT 0
);

-- One row per federal record. `area` is the AGS prefix the record applies to (ozg/bund.py area_of):
-- the 8-digit AGS of one Kommune, a Kreis (5 digits) or Land (2 digits) for kreis-/landesweit flächendeckend
-- records of that level, '' for bundesweit flächendeckend. A Kommune matches its AGS, its Kreis, its Land and ''.
CREATE TABLE bund_record (
    snapshot_id BIGINT NOT NULL,
    record_no INTEGER NOT NULL,    -- position in the file (1-based), for messages
    ars TEXT NOT NULL,
    area TEXT NOT NULL,
    ozg_id TEXT NOT NULL,
    leika_key TEXT,
    status_ok BOOLEAN NOT NULL,    -- online_status = 'ok'
    aktiv BOOLEAN NOT NULL,        -- aktiv = 'ja'
    art TEXT,                      -- art_flaechendeckung as delivered
    url TEXT
);
-- @postgres
CREATE INDEX bund_record_area ON bund_record (snapshot_id, area);
