-- Security (issue 12): OIDC identities bound by (issuer, subject), and login throttling shared by every session
-- and app replica. Portable SQL (DuckDB and PostgreSQL).

-- The identity provider that issued app_user.oidc_subject (0003). A person is matched on (issuer, subject) once
-- bound; the first sign-in binds them by their verified e-mail address (ozg/oidc.py).
ALTER TABLE app_user ADD COLUMN oidc_issuer TEXT;

-- Failed local sign-ins, per account (scope 'account', key = user name as typed, normalised) and per client
-- address (scope 'client'). After a few failures the key is locked for a growing time (ozg/login_throttle.py).
CREATE TABLE login_throttle (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    PRIMARY KEY (scope, key)
);
