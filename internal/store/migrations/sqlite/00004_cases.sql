-- +goose Up
-- The admission procedure (DOMAIN §5): one case per candidate's path from
-- the source pool to recognition, with its introducers, documents, votes,
-- verification requests, provincial consents, exceptions, transfers and
-- attached scans. The decision writes the memberships row that the
-- progress roll-up counts. case_deadlines holds each open case's pending
-- deadlines, computed in working days by the service whenever the case
-- changes, so that "Việc cần làm" is paginated and scoped in SQL.

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    person_id          INTEGER NOT NULL REFERENCES people(id),
    org_id             INTEGER NOT NULL REFERENCES orgs(id),
    kind               TEXT NOT NULL,
    stage              TEXT NOT NULL,
    stage_before       TEXT NOT NULL,
    opened_on          TEXT NOT NULL,
    helper_id          INTEGER REFERENCES people(id),
    dossier_opened     TEXT,
    certificate_no     TEXT NOT NULL DEFAULT '',
    certificate_date   TEXT,
    certificate_id     INTEGER,
    hardship_area      BOOLEAN NOT NULL DEFAULT FALSE,
    village_elder      BOOLEAN NOT NULL DEFAULT FALSE,
    youth_union_exists BOOLEAN NOT NULL DEFAULT FALSE,
    political_issue    BOOLEAN NOT NULL DEFAULT FALSE,
    left_on            TEXT,
    left_ground        TEXT NOT NULL DEFAULT '',
    record_cleared     TEXT,
    rules_id           TEXT NOT NULL DEFAULT '',
    decider_id         INTEGER REFERENCES orgs(id),
    authorised         BOOLEAN NOT NULL DEFAULT FALSE,
    decision_no        TEXT NOT NULL DEFAULT '',
    decision_date      TEXT,
    decision_received  TEXT,
    membership_id      INTEGER REFERENCES memberships(id),
    ceremony_date      TEXT,
    recognition_no     TEXT NOT NULL DEFAULT '',
    recognition_date   TEXT,
    closed_on          TEXT,
    close_reason       TEXT NOT NULL DEFAULT '',
    paused_on          TEXT,
    pause_reason       TEXT NOT NULL DEFAULT '',
    next_action        TEXT NOT NULL DEFAULT '',
    next_owner         TEXT NOT NULL DEFAULT '',
    next_due           TEXT,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX cases_org_stage ON cases(org_id, stage);
CREATE INDEX cases_stage ON cases(stage, org_id);
-- One open case per person.
CREATE UNIQUE INDEX cases_open_person ON cases(person_id) WHERE closed_on IS NULL;
CREATE INDEX cases_person ON cases(person_id);

CREATE TABLE case_introducers (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id),
    person_id       INTEGER NOT NULL REFERENCES people(id),
    months_together INTEGER NOT NULL,
    letter_date     TEXT,
    waived          BOOLEAN NOT NULL DEFAULT FALSE,
    waiver_reason   TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, person_id)
);

CREATE TABLE case_documents (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind    TEXT NOT NULL,
    number  TEXT NOT NULL DEFAULT '',
    date    TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, kind)
);

-- One row per vote or decision: purpose admission, recognition or
-- strike_off; level chapter, subcommittee, committee or decision.
CREATE TABLE case_votes (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    purpose    TEXT NOT NULL,
    level      TEXT NOT NULL,
    date       TEXT NOT NULL,
    number     TEXT NOT NULL DEFAULT '',
    members    INTEGER NOT NULL,
    excluded   INTEGER NOT NULL DEFAULT 0,
    present    INTEGER NOT NULL,
    yes_count  INTEGER NOT NULL,
    no_count   INTEGER NOT NULL,
    passed     BOOLEAN NOT NULL,
    authorised BOOLEAN NOT NULL DEFAULT FALSE,
    rules_id   TEXT NOT NULL
);
CREATE INDEX case_votes_case ON case_votes(case_id, purpose, level);

CREATE TABLE case_verifications (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    subject    TEXT NOT NULL,
    addressee  TEXT NOT NULL,
    sent_on    TEXT NOT NULL,
    abroad     BOOLEAN NOT NULL DEFAULT FALSE,
    due        TEXT NOT NULL,
    replied_on TEXT,
    result     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_verifications_case ON case_verifications(case_id);

CREATE TABLE case_consents (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind    TEXT NOT NULL,
    number  TEXT NOT NULL DEFAULT '',
    date    TEXT NOT NULL,
    UNIQUE (case_id, kind)
);

-- A failing verdict let pass by an authorised user, with the reason; it
-- stays visible on the case and in reports.
CREATE TABLE case_exceptions (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    rule     TEXT NOT NULL,
    reason   TEXT NOT NULL,
    message  TEXT NOT NULL DEFAULT '',
    user_id  INTEGER,
    username TEXT NOT NULL DEFAULT '',
    at       DATETIME NOT NULL,
    UNIQUE (case_id, rule)
);

CREATE TABLE case_transfers (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    from_org_id INTEGER NOT NULL REFERENCES orgs(id),
    to_org_id   INTEGER NOT NULL REFERENCES orgs(id),
    date        TEXT NOT NULL,
    stage       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_transfers_case ON case_transfers(case_id);

CREATE TABLE case_files (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    kind         TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_at  DATETIME NOT NULL,
    uploaded_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_files_case ON case_files(case_id);

CREATE TABLE case_deadlines (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    kind     TEXT NOT NULL,
    due      TEXT NOT NULL,
    extended TEXT,
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
