-- +goose Up
-- The reorganisation plans applied (CONTRACT "Reorganisation plan"): one
-- row per plan, with its decision, its date, the plan itself as it was
-- applied (canonical JSON), its SHA-256 (a plan is applied once: a second
-- run of the same plan is refused, naming this row) and the summary of
-- what moved. The audit record of the plan points at its id.
CREATE TABLE reorg_plans (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,
    decision        TEXT NOT NULL,
    date            TEXT NOT NULL,
    plan            TEXT NOT NULL,
    summary         TEXT NOT NULL,
    applied_at      DATETIME NOT NULL,
    applied_by      INTEGER REFERENCES users(id),
    applied_by_name TEXT NOT NULL
);
CREATE INDEX reorg_plans_date ON reorg_plans(date, id);

-- +goose Down
DROP TABLE reorg_plans;
