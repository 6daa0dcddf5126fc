-- +goose Up
-- PostgreSQL twin of the SQLite schema: DATE and TIMESTAMPTZ columns,
-- paths compared in the C collation so the subtree range scan works.

CREATE TABLE orgs (
    id           BIGSERIAL PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    name_fold    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    sector       TEXT NOT NULL,
    parent_id    BIGINT REFERENCES orgs(id),
    path         TEXT COLLATE "C" NOT NULL UNIQUE,
    valid_from   DATE NOT NULL,
    valid_to     DATE,
    successor_id BIGINT REFERENCES orgs(id),
    version      BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_successor ON orgs(successor_id);

CREATE TABLE org_authority (
    org_id           BIGINT NOT NULL REFERENCES orgs(id),
    valid_from       DATE NOT NULL,
    decider_id       BIGINT NOT NULL REFERENCES orgs(id),
    authorised       BOOLEAN NOT NULL DEFAULT FALSE,
    subcommittee     BOOLEAN NOT NULL DEFAULT FALSE,
    grassroots_level BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (org_id, valid_from)
);

CREATE TABLE residential_units (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    commune_id BIGINT NOT NULL REFERENCES orgs(id),
    chapter_id BIGINT REFERENCES orgs(id)
);
CREATE INDEX residential_units_commune ON residential_units(commune_id);

CREATE TABLE schools (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    level      TEXT NOT NULL,
    org_id     BIGINT REFERENCES orgs(id),
    commune_id BIGINT REFERENCES orgs(id)
);

CREATE TABLE school_enrolment (
    school_id   BIGINT NOT NULL REFERENCES schools(id),
    school_year BIGINT NOT NULL,
    students    BIGINT NOT NULL,
    PRIMARY KEY (school_id, school_year)
);

CREATE TABLE people (
    id           BIGSERIAL PRIMARY KEY,
    full_name    TEXT NOT NULL,
    name_fold    TEXT NOT NULL,
    name_key     TEXT COLLATE "C" NOT NULL,
    birth_date   DATE NOT NULL,
    sex          TEXT NOT NULL,
    ethnicity    TEXT NOT NULL,
    religion     TEXT NOT NULL,
    cccd         TEXT UNIQUE,
    education    TEXT NOT NULL,
    occupation   TEXT NOT NULL,
    residence_id BIGINT REFERENCES residential_units(id),
    workplace    TEXT NOT NULL DEFAULT '',
    youth_union  BOOLEAN NOT NULL DEFAULT FALSE,
    trade_union  BOOLEAN NOT NULL DEFAULT FALSE,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    stage        TEXT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_org_key ON people(org_id, name_key);
CREATE INDEX people_stage ON people(stage, org_id);
CREATE INDEX people_residence ON people(residence_id);

CREATE TABLE memberships (
    id               BIGSERIAL PRIMARY KEY,
    person_id        BIGINT NOT NULL REFERENCES people(id),
    decision_no      TEXT NOT NULL,
    decision_date    DATE NOT NULL,
    decided_by_id    BIGINT REFERENCES orgs(id),
    admitted_org_id  BIGINT NOT NULL REFERENCES orgs(id),
    ceremony_date    DATE,
    recognition_date DATE,
    status           TEXT NOT NULL,
    end_date         DATE
);
CREATE INDEX memberships_person ON memberships(person_id);
-- The progress roll-up reads admissions by date range and organization,
-- from these covering indexes only: it never touches people.
CREATE INDEX memberships_date_org ON memberships(decision_date, admitted_org_id);
CREATE INDEX memberships_org_date ON memberships(admitted_org_id, decision_date);

CREATE TABLE targets (
    org_id    BIGINT NOT NULL REFERENCES orgs(id),
    year      BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    value     BIGINT NOT NULL,
    deadline  DATE,
    breakdown TEXT,
    PRIMARY KEY (org_id, year, kind)
);
CREATE INDEX targets_year ON targets(year, org_id);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_id        BIGINT REFERENCES orgs(id),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);

-- scs postgresstore layout.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expiry);

CREATE TABLE audit_log (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    user_id   BIGINT,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id BIGINT,
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
