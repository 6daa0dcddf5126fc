-- +goose Up
-- PostgreSQL twin of the SQLite schema. The admission procedure (DOMAIN §5): one case per candidate's path from
-- the source pool to recognition, with its introducers, documents, votes,
-- verification requests, provincial consents, exceptions, transfers and
-- attached scans. The decision writes the memberships row that the
-- progress roll-up counts. case_deadlines holds each open case's pending
-- deadlines, computed in working days by the service whenever the case
-- changes, so that "Việc cần làm" is paginated and scoped in SQL.

CREATE TABLE cases (
    id                 BIGSERIAL PRIMARY KEY,
    person_id          BIGINT NOT NULL REFERENCES people(id),
    org_id             BIGINT NOT NULL REFERENCES orgs(id),
    kind               TEXT NOT NULL,
    stage              TEXT NOT NULL,
    stage_before       TEXT NOT NULL,
    opened_on          DATE NOT NULL,
    helper_id          BIGINT REFERENCES people(id),
    dossier_opened     DATE,
    certificate_no     TEXT NOT NULL DEFAULT '',
    certificate_date   DATE,
    certificate_id     BIGINT,
    hardship_area      BOOLEAN NOT NULL DEFAULT FALSE,
    village_elder      BOOLEAN NOT NULL DEFAULT FALSE,
    youth_union_exists BOOLEAN NOT NULL DEFAULT FALSE,
    political_issue    BOOLEAN NOT NULL DEFAULT FALSE,
    left_on            DATE,
    left_ground        TEXT NOT NULL DEFAULT '',
    record_cleared     DATE,
    rules_id           TEXT NOT NULL DEFAULT '',
    decider_id         BIGINT REFERENCES orgs(id),
    authorised         BOOLEAN NOT NULL DEFAULT FALSE,
    decision_no        TEXT NOT NULL DEFAULT '',
    decision_date      DATE,
    decision_received  DATE,
    membership_id      BIGINT REFERENCES memberships(id),
    ceremony_date      DATE,
    recognition_no     TEXT NOT NULL DEFAULT '',
    recognition_date   DATE,
    closed_on          DATE,
    close_reason       TEXT NOT NULL DEFAULT '',
    paused_on          DATE,
    pause_reason       TEXT NOT NULL DEFAULT '',
    next_action        TEXT NOT NULL DEFAULT '',
    next_owner         TEXT NOT NULL DEFAULT '',
    next_due           DATE,
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX cases_org_stage ON cases(org_id, stage);
CREATE INDEX cases_stage ON cases(stage, org_id);
-- One open case per person.
CREATE UNIQUE INDEX cases_open_person ON cases(person_id) WHERE closed_on IS NULL;
CREATE INDEX cases_person ON cases(person_id);

CREATE TABLE case_introducers (
    id              BIGSERIAL PRIMARY KEY,
    case_id         BIGINT NOT NULL REFERENCES cases(id),
    person_id       BIGINT NOT NULL REFERENCES people(id),
    months_together BIGINT NOT NULL,
    letter_date     DATE,
    waived          BOOLEAN NOT NULL DEFAULT FALSE,
    waiver_reason   TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, person_id)
);

CREATE TABLE case_documents (
    id      BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    kind    TEXT NOT NULL,
    number  TEXT NOT NULL DEFAULT '',
    date    DATE NOT NULL,
    note    TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, kind)
);

-- One row per vote or decision: purpose admission, recognition or
-- strike_off; level chapter, subcommittee, committee or decision.
CREATE TABLE case_votes (
    id         BIGSERIAL PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    purpose    TEXT NOT NULL,
    level      TEXT NOT NULL,
    date       DATE NOT NULL,
    number     TEXT NOT NULL DEFAULT '',
    members    BIGINT NOT NULL,
    excluded   BIGINT NOT NULL DEFAULT 0,
    present    BIGINT NOT NULL,
    yes_count  BIGINT NOT NULL,
    no_count   BIGINT NOT NULL,
    passed     BOOLEAN NOT NULL,
    authorised BOOLEAN NOT NULL DEFAULT FALSE,
    rules_id   TEXT NOT NULL
);
CREATE INDEX case_votes_case ON case_votes(case_id, purpose, level);

CREATE TABLE case_verifications (
    id         BIGSERIAL PRIMARY KEY,
    case_id    BIGINT NOT NULL REFERENCES cases(id),
    subject    TEXT NOT NULL,
    addressee  TEXT NOT NULL,
    sent_on    DATE NOT NULL,
    abroad     BOOLEAN NOT NULL DEFAULT FALSE,
    due        DATE NOT NULL,
    replied_on DATE,
    result     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_verifications_case ON case_verifications(case_id);

CREATE TABLE case_consents (
    id      BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    kind    TEXT NOT NULL,
    number  TEXT NOT NULL DEFAULT '',
    date    DATE NOT NULL,
    UNIQUE (case_id, kind)
);

-- A failing verdict let pass by an authorised user, with the reason; it
-- stays visible on the case and in reports.
CREATE TABLE case_exceptions (
    id       BIGSERIAL PRIMARY KEY,
    case_id  BIGINT NOT NULL REFERENCES cases(id),
    rule     TEXT NOT NULL,
    reason   TEXT NOT NULL,
    message  TEXT NOT NULL DEFAULT '',
    user_id  BIGINT,
    username TEXT NOT NULL DEFAULT '',
    at       TIMESTAMPTZ NOT NULL,
    UNIQUE (case_id, rule)
);

CREATE TABLE case_transfers (
    id          BIGSERIAL PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES cases(id),
    from_org_id BIGINT NOT NULL REFERENCES orgs(id),
    to_org_id   BIGINT NOT NULL REFERENCES orgs(id),
    date        DATE NOT NULL,
    stage       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_transfers_case ON case_transfers(case_id);

CREATE TABLE case_files (
    id           BIGSERIAL PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BYTEA NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL,
    uploaded_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_files_case ON case_files(case_id);

CREATE TABLE case_deadlines (
    id       BIGSERIAL PRIMARY KEY,
    case_id  BIGINT NOT NULL REFERENCES cases(id),
    kind     TEXT NOT NULL,
    due      DATE NOT NULL,
    extended DATE,
    owner    TEXT NOT NULL,
    label    TEXT NOT NULL
);
CREATE INDEX case_deadlines_case ON case_deadlines(case_id);
CREATE INDEX case_deadlines_due ON case_deadlines(due, case_id);

-- +goose Down
DROP TABLE case_deadlines;
DROP TABLE case_files;
DROP TABLE case_transfers;
DROP TABLE case_exceptions;
DROP TABLE case_consents;
DROP TABLE case_verifications;
DROP TABLE case_votes;
DROP TABLE case_documents;
DROP TABLE case_introducers;
DROP TABLE cases;
