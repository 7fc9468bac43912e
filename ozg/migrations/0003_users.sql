-- Users and roles. Authorisation lives here (the same for OIDC and local sign-in); local password hashes do NOT:
-- they stay in the git-ignored users file (data/users.toml, OZG_USERS), so a copy of the database never carries
-- credentials. See ozg/users.py. Portable SQL (DuckDB and PostgreSQL), no foreign keys (see 0001_core.sql).

-- One row per person. role: viewer (read) | coordinator (write for the cities in user_city) | admin (everything).
CREATE TABLE app_user (
    user_name TEXT PRIMARY KEY,    -- sign-in name, lower case; also what import_batch.user_name records
    display_name TEXT,
    role TEXT NOT NULL,
    email TEXT,                    -- lower case; OIDC sign-in (st.user.email) maps to the user by this address
    oidc_subject TEXT,             -- optional: the identity provider's stable subject ("sub") once seen
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL
);

-- The cities a coordinator may write for (AGS). Admins need no rows here; viewers have none.
CREATE TABLE user_city (
    user_name TEXT NOT NULL,
    ags TEXT NOT NULL,
    PRIMARY KEY (user_name, ags)
);
