-- Shared development and its savings: Gemeinschaftsprojekte, their cost figures, the cost model's parameters and
-- usage figures (Fallzahlen). Portable SQL (DuckDB and PostgreSQL), no foreign keys (see 0001_core.sql).
-- A statement preceded by a line `-- @postgres` runs on PostgreSQL only.

-- A Leistung bundle built once by a lead city (Federführung) for several cities.
CREATE TABLE shared_project (
    id TEXT PRIMARY KEY,           -- short code people write in the spreadsheet, e.g. "P-GEWERBE"
    name TEXT NOT NULL,
    lead_ags TEXT NOT NULL,        -- Federführung (AGS); the lead city is also a participating city
    start_date DATE,
    description TEXT,
    complexity TEXT,               -- einfach | mittel | komplex: picks the default build cost without own figures
    is_sample BOOLEAN NOT NULL DEFAULT FALSE,
    batch_id BIGINT,               -- import (or edit) that last changed the definition
    updated_by TEXT,
    updated_at TIMESTAMP
);

CREATE TABLE project_leistung (
    project_id TEXT NOT NULL,
    ozg_id TEXT NOT NULL,
    PRIMARY KEY (project_id, ozg_id)
);

-- Participating cities (the lead city included) and when each went live with the shared solution.
CREATE TABLE project_city (
    project_id TEXT NOT NULL,
    ags TEXT NOT NULL,
    go_live DATE,
    PRIMARY KEY (project_id, ags)
);

-- Cost figures of a project, append-only: the latest row per project wins, older rows are the history.
-- A NULL figure means "not known": the cost model then uses the default from cost_parameter.
CREATE SEQUENCE project_cost_id_seq START 1;
CREATE TABLE project_cost (
    id BIGINT NOT NULL,
    project_id TEXT NOT NULL,
    development DOUBLE PRECISION,          -- initial development by the lead city, € (one-off)
    adaptation_per_city DOUBLE PRECISION,  -- adaptation per reusing city, € (one-off)
    operation_per_year DOUBLE PRECISION,   -- operation of the shared solution, € per year
    coordination DOUBLE PRECISION,         -- coordination overhead of the project, € (one-off)
    source TEXT,                           -- where the figures come from, or "Annahme"
    set_by TEXT NOT NULL,
    set_at TIMESTAMP NOT NULL,
    batch_id BIGINT
);
-- @postgres
ALTER TABLE project_cost ADD PRIMARY KEY (id);

-- Field-level changes of project definitions (old -> new as text), so every change is in the history.
CREATE TABLE project_change (
    project_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    changed_by TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    batch_id BIGINT
);

-- Parameters of the cost model, append-only: the latest row per name wins, older rows are the history.
CREATE SEQUENCE cost_parameter_id_seq START 1;
CREATE TABLE cost_parameter (
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    unit TEXT NOT NULL,
    source TEXT NOT NULL,          -- a checkable source, or "Annahme"
    set_by TEXT NOT NULL,
    set_at TIMESTAMP NOT NULL
);
-- @postgres
ALTER TABLE cost_parameter ADD PRIMARY KEY (id);
-- @postgres
CREATE INDEX cost_parameter_name ON cost_parameter (name, set_at);

-- Monthly case counts per city and Leistung (Fallzahlen). One row per (month, ags, ozg_id); a new import of the
-- same key replaces the row and records its batch.
CREATE TABLE usage_figure (
    month DATE NOT NULL,           -- first day of the month
    ags TEXT NOT NULL,
    ozg_id TEXT NOT NULL,
    cases_total BIGINT,
    cases_digital BIGINT,
    batch_id BIGINT NOT NULL
);
-- @postgres
ALTER TABLE usage_figure ADD PRIMARY KEY (month, ags, ozg_id);
