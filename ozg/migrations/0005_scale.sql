-- Scale: a per-Kommune summary of the current state, maintained on write (ozg/summary.py, called from
-- ozg.status.write_change_groups in the same transaction), so national KPIs and Land/Kreis views aggregate a few
-- hundred thousand summary rows instead of scanning millions of status rows. Only active (not retired) Leistungen
-- are counted; meta 'summary_catalogue' records which Leistungen were retired when it was built, and readers fall
-- back to the exact scan if the catalogue changed since (ozg/summary.py is_fresh).
CREATE TABLE status_summary (
    ags TEXT NOT NULL,
    reifegrad INTEGER,
    nicht_relevant BOOLEAN NOT NULL,
    ende_zu_ende BOOLEAN NOT NULL,
    bescheid_digital BOOLEAN NOT NULL,
    own_lead BOOLEAN NOT NULL,       -- Federführung is this Kommune itself
    geplant_bis DATE,
    n INTEGER NOT NULL,
    last_change TIMESTAMP
);
-- @postgres
CREATE INDEX status_summary_ags ON status_summary (ags);

-- The same, summed per Kreis (AGS digits 1-5): national and Land views read ~400 Kreise' rows, not 10,981
-- Gemeinden'. Rebuilt from status_summary for the touched Kreise in the same transaction.
CREATE TABLE kreis_summary (
    kreis TEXT NOT NULL,
    reifegrad INTEGER,
    nicht_relevant BOOLEAN NOT NULL,
    ende_zu_ende BOOLEAN NOT NULL,
    bescheid_digital BOOLEAN NOT NULL,
    own_lead BOOLEAN NOT NULL,
    geplant_bis DATE,
    n BIGINT NOT NULL,
    last_change TIMESTAMP
);
-- @postgres
CREATE INDEX kreis_summary_kreis ON kreis_summary (kreis);

INSERT INTO status_summary
SELECT s.ags, s.reifegrad, coalesce(s.status = 'nicht relevant', FALSE), coalesce(s.ende_zu_ende, FALSE),
       coalesce(s.bescheid_digital, FALSE), coalesce(s.federfuehrung = s.ags, FALSE), s.geplant_bis,
       count(*), max(s.changed_at)
FROM status_current s JOIN leistung l ON l.ozg_id = s.ozg_id AND NOT l.retired
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO kreis_summary
SELECT substr(ags, 1, 5), reifegrad, nicht_relevant, ende_zu_ende, bescheid_digital, own_lead, geplant_bis,
       sum(n), max(last_change)
FROM status_summary
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO meta (key, value)
SELECT 'summary_catalogue', coalesce(string_agg(ozg_id, ',' ORDER BY ozg_id), '') FROM leistung WHERE retired;
