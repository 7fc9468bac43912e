-- Core schema: catalogue, Kommunen, imports, append-only status history and the current state.
-- Portable SQL (DuckDB and PostgreSQL). No foreign keys: DuckDB cannot update rows that are referenced.
-- A statement preceded by a line `-- @postgres` runs on PostgreSQL only.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
INSERT INTO meta (key, value) VALUES ('data_version', '0');
INSERT INTO meta (key, value) VALUES ('sample_data', 'nein');

CREATE TABLE kommune (
    ags TEXT PRIMARY KEY,          -- 8-digit Amtlicher Gemeindeschlüssel, text (leading zero)
    ars TEXT,
    name TEXT NOT NULL,
    official_name TEXT,
    state TEXT,
    kreis TEXT,
    population INTEGER,
    portal_url TEXT
);

-- Named groups of Kommunen; the cooperation is one of them (data, not code).
CREATE TABLE kommune_group (
    group_name TEXT NOT NULL,
    ags TEXT NOT NULL,
    PRIMARY KEY (group_name, ags)
);

CREATE TABLE leistung (
    ozg_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    themenfeld TEXT,
    lage TEXT,
    lage_kind TEXT,                -- Lebenslage / Unternehmenslage where a catalogue says so
    typ TEXT,
    programm TEXT,
    efa BOOLEAN,                   -- "Einer für Alle", unknown (NULL) in the 2019 catalogue
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    catalogue_batch BIGINT,
    updated_at TIMESTAMP
);

CREATE TABLE leika (
    leika_key TEXT,
    leika_name TEXT,
    leika_typ TEXT,
    ozg_id TEXT NOT NULL
);

CREATE SEQUENCE batch_id_seq START 1;
CREATE TABLE import_batch (
    id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,            -- status | edit | revert | sample | catalogue
    file_name TEXT,
    sha256 TEXT,
    ags TEXT,
    user_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    rows_read INTEGER NOT NULL DEFAULT 0,
    rows_changed INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    reverts_batch BIGINT,
    reverted_by BIGINT,
    note TEXT
);

-- Append-only: one row per change of a Leistung in a Kommune, holding the full state from valid_from on.
CREATE SEQUENCE history_id_seq START 1;
CREATE TABLE status_history (
    id BIGINT NOT NULL,
    batch_id BIGINT NOT NULL,
    ags TEXT NOT NULL,
    ozg_id TEXT NOT NULL,
    valid_from TIMESTAMP NOT NULL,
    reifegrad INTEGER,
    reifegrad_model TEXT,
    status TEXT,
    geplant_bis DATE,
    online_seit DATE,
    ende_zu_ende BOOLEAN,
    bescheid_digital BOOLEAN,
    federfuehrung TEXT,
    plattform TEXT,
    link TEXT,
    bemerkung TEXT
);
-- DuckDB scans with zone maps and would hold these as memory-hungry ART indexes: PostgreSQL only.
-- @postgres
ALTER TABLE status_history ADD PRIMARY KEY (id);
-- @postgres
CREATE INDEX status_history_key ON status_history (ags, ozg_id, valid_from);
-- @postgres
CREATE INDEX status_history_batch ON status_history (batch_id);

-- The latest history row per (ags, ozg_id), maintained in the same transaction (fast reads).
CREATE TABLE status_current (
    ags TEXT NOT NULL,
    ozg_id TEXT NOT NULL,
    reifegrad INTEGER,
    reifegrad_model TEXT,
    status TEXT,
    geplant_bis DATE,
    online_seit DATE,
    ende_zu_ende BOOLEAN,
    bescheid_digital BOOLEAN,
    federfuehrung TEXT,
    plattform TEXT,
    link TEXT,
    bemerkung TEXT,
    batch_id BIGINT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
-- @postgres
ALTER TABLE status_current ADD PRIMARY KEY (ags, ozg_id);

-- Field-level changes of each batch (old -> new as text), for the Verlauf page and diffs.
CREATE TABLE status_change (
    batch_id BIGINT NOT NULL,
    ags TEXT NOT NULL,
    ozg_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
-- @postgres
CREATE INDEX status_change_batch ON status_change (batch_id);
