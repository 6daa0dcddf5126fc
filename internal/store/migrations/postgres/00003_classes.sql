-- +goose Up
-- PostgreSQL twin of the SQLite schema (DATE, TIMESTAMPTZ, BIGSERIAL).
-- Training classes of the political centre (DOMAIN §6): classes, the
-- units they serve, their sessions, the learners with attendance and
-- results, the certificates, and the date each source entered the pool.

CREATE TABLE classes (
    id              BIGSERIAL PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    programme       TEXT NOT NULL,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    organiser       TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    lecturers       TEXT NOT NULL DEFAULT '',
    start_date      DATE NOT NULL,
    end_date        DATE NOT NULL,
    exam_date       DATE,
    capacity        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,
    opened_on       DATE,
    open_override   TEXT NOT NULL DEFAULT '',
    completion_no   TEXT NOT NULL DEFAULT '',
    completion_date DATE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX classes_org_start ON classes(org_id, start_date);
CREATE INDEX classes_start ON classes(start_date, programme);

CREATE TABLE class_units (
    class_id BIGINT NOT NULL REFERENCES classes(id),
    org_id   BIGINT NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (class_id, org_id)
);
CREATE INDEX class_units_org ON class_units(org_id);

CREATE TABLE class_sessions (
    id       BIGSERIAL PRIMARY KEY,
    class_id BIGINT NOT NULL REFERENCES classes(id),
    date     DATE NOT NULL,
    lessons  INTEGER NOT NULL,
    topic    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX class_sessions_class ON class_sessions(class_id, date);

-- One row per person in a class. outcome, total and result_date are
-- derived from attendance and scores by the service in the same
-- transaction that changes them, so that reports count them in SQL.
CREATE TABLE class_learners (
    id          BIGSERIAL PRIMARY KEY,
    class_id    BIGINT NOT NULL REFERENCES classes(id),
    person_id   BIGINT NOT NULL REFERENCES people(id),
    enrolled_on DATE NOT NULL,
    status      TEXT NOT NULL,
    score1      INTEGER,
    score2      INTEGER,
    absent      BOOLEAN NOT NULL DEFAULT FALSE,
    retake_date DATE,
    retake1     INTEGER,
    retake2     INTEGER,
    outcome     TEXT NOT NULL DEFAULT 'pending',
    total       INTEGER NOT NULL DEFAULT 0,
    result_date DATE,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (class_id, person_id)
);
CREATE INDEX class_learners_person ON class_learners(person_id);

CREATE TABLE class_attendance (
    learner_id BIGINT NOT NULL REFERENCES class_learners(id),
    session_id BIGINT NOT NULL REFERENCES class_sessions(id),
    lessons    INTEGER NOT NULL,
    PRIMARY KEY (learner_id, session_id)
);
CREATE INDEX class_attendance_session ON class_attendance(session_id);

CREATE TABLE certificates (
    id          BIGSERIAL PRIMARY KEY,
    learner_id  BIGINT NOT NULL UNIQUE REFERENCES class_learners(id),
    person_id   BIGINT NOT NULL REFERENCES people(id),
    class_id    BIGINT NOT NULL REFERENCES classes(id),
    programme   TEXT NOT NULL,
    number      TEXT NOT NULL UNIQUE,
    issued      DATE NOT NULL,
    valid_until DATE,
    late_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_person ON certificates(person_id, programme, issued);
CREATE INDEX certificates_valid ON certificates(programme, valid_until);

-- The day a source was selected into the chapter's list of outstanding
-- non-members (HD38 I.1.1d); the "not sent to a class" alert counts from
-- it (from people.created_at when absent). The procedure keeps it too.
CREATE TABLE source_pool (
    person_id BIGINT PRIMARY KEY REFERENCES people(id),
    since     DATE NOT NULL
);

-- +goose Down
DROP TABLE source_pool;
DROP TABLE certificates;
DROP TABLE class_attendance;
DROP TABLE class_learners;
DROP TABLE class_sessions;
DROP TABLE class_units;
DROP TABLE classes;
