-- +goose Up
-- Dates are TEXT 'YYYY-MM-DD' (they compare in date order); timestamps are
-- written by the driver with _time_format=sqlite.

CREATE TABLE orgs (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    name_fold    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    sector       TEXT NOT NULL,
    parent_id    INTEGER REFERENCES orgs(id),
    path         TEXT NOT NULL UNIQUE,
    valid_from   TEXT NOT NULL,
    valid_to     TEXT,
    successor_id INTEGER REFERENCES orgs(id),
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_successor ON orgs(successor_id);

CREATE TABLE org_authority (
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    valid_from       TEXT NOT NULL,
    decider_id       INTEGER NOT NULL REFERENCES orgs(id),
    authorised       BOOLEAN NOT NULL DEFAULT FALSE,
    subcommittee     BOOLEAN NOT NULL DEFAULT FALSE,
    grassroots_level BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (org_id, valid_from)
);

CREATE TABLE residential_units (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    commune_id INTEGER NOT NULL REFERENCES orgs(id),
    chapter_id INTEGER REFERENCES orgs(id)
);
CREATE INDEX residential_units_commune ON residential_units(commune_id);

CREATE TABLE schools (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    level      TEXT NOT NULL,
    org_id     INTEGER REFERENCES orgs(id),
    commune_id INTEGER REFERENCES orgs(id)
);

CREATE TABLE school_enrolment (
    school_id   INTEGER NOT NULL REFERENCES schools(id),
    school_year INTEGER NOT NULL,
    students    INTEGER NOT NULL,
    PRIMARY KEY (school_id, school_year)
);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT NOT NULL,
    name_fold    TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    birth_date   TEXT NOT NULL,
    sex          TEXT NOT NULL,
    ethnicity    TEXT NOT NULL,
    religion     TEXT NOT NULL,
    cccd         TEXT UNIQUE,
    education    TEXT NOT NULL,
    occupation   TEXT NOT NULL,
    residence_id INTEGER REFERENCES residential_units(id),
    workplace    TEXT NOT NULL DEFAULT '',
    youth_union  BOOLEAN NOT NULL DEFAULT FALSE,
    trade_union  BOOLEAN NOT NULL DEFAULT FALSE,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    stage        TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);
CREATE INDEX people_org_key ON people(org_id, name_key);
CREATE INDEX people_stage ON people(stage, org_id);
CREATE INDEX people_residence ON people(residence_id);

CREATE TABLE memberships (
    id               INTEGER PRIMARY KEY,
    person_id        INTEGER NOT NULL REFERENCES people(id),
    decision_no      TEXT NOT NULL,
    decision_date    TEXT NOT NULL,
    decided_by_id    INTEGER REFERENCES orgs(id),
    admitted_org_id  INTEGER NOT NULL REFERENCES orgs(id),
    ceremony_date    TEXT,
    recognition_date TEXT,
    status           TEXT NOT NULL,
    end_date         TEXT
);
CREATE INDEX memberships_person ON memberships(person_id);
-- The progress roll-up reads admissions by date range and organization,
-- from these covering indexes only: it never touches people.
CREATE INDEX memberships_date_org ON memberships(decision_date, admitted_org_id);
CREATE INDEX memberships_org_date ON memberships(admitted_org_id, decision_date);

CREATE TABLE targets (
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    year      INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    value     INTEGER NOT NULL,
    deadline  TEXT,
    breakdown TEXT,
    PRIMARY KEY (org_id, year, kind)
);
CREATE INDEX targets_year ON targets(year, org_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_id        INTEGER REFERENCES orgs(id),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    DATETIME NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME
);

-- scs sqlite3store layout.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        DATETIME NOT NULL,
    user_id   INTEGER,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE meta;
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE targets;
DROP TABLE memberships;
DROP TABLE people;
DROP TABLE school_enrolment;
DROP TABLE schools;
DROP TABLE residential_units;
DROP TABLE org_authority;
DROP TABLE orgs;
