-- +goose Up
-- What the office edited of a report before downloading it (issue 14): the
-- header and signature lines and the drafted sections of the conference
-- report, one row per report (its kind, unit, year and as-of date). A NULL
-- column follows the draft the report computes from the data; a reset
-- deletes the row. Who saved it last and when; the audit log keeps each save.
CREATE TABLE report_texts (
    report          TEXT NOT NULL,
    org_id          BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    year            INTEGER NOT NULL,
    asof            DATE NOT NULL,
    parent          TEXT,
    issuer          TEXT,
    number          TEXT,
    place           TEXT,
    sign_for        TEXT,
    signer_title    TEXT,
    signer          TEXT,
    recipients      TEXT,
    weaknesses      TEXT,
    tasks           TEXT,
    updated_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_by_name TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (report, org_id, year, asof)
);

-- +goose Down
DROP TABLE report_texts;
