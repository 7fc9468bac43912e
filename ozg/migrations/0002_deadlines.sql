-- Deadlines as data: legal dates and the cooperation's own targets, each with its source.
CREATE TABLE deadline (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    due DATE NOT NULL,
    kind TEXT NOT NULL,            -- gesetzlich | IKZ-Ziel
    applies_to TEXT,               -- NULL = all Leistungen; else a Themenfeld
    source TEXT NOT NULL
);
