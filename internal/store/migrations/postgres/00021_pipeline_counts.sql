-- +goose Up
-- The pipeline counted per unit (issue 15, item 2): the cases past the
-- chapter vote and not yet decided, as progress's projection counts them.
-- case_pipeline is each case's time in the pipeline, day_from inclusive,
-- day_to exclusive (YYYYMMDD, 99991231 while it has not left), cut where
-- a transfer changes the unit it counts at (org_id). pipeline_counts holds,
-- for each unit and each period of the tree (as admission_counts), the
-- cases entering (+1) and leaving (-1) the pipeline at the units under it,
-- per day (grain 0, period YYYYMMDD) and per month (grain 1, YYYYMM): the
-- pipeline on a day is the sum of the months before and the days of its
-- month up to it. Maintained by the store in the transaction of every write
-- of cases, votes, transfers and org_links; filled at open for a database
-- that has none yet; `ketnap rebuild-counts` recomputes both.
CREATE TABLE case_pipeline (
    case_id  BIGINT NOT NULL,
    day_from INTEGER NOT NULL,
    day_to   INTEGER NOT NULL,
    org_id   BIGINT NOT NULL,
    PRIMARY KEY (case_id, day_from)
);
CREATE INDEX case_pipeline_org ON case_pipeline(org_id);
CREATE TABLE pipeline_counts (
    org_id    BIGINT NOT NULL,
    grain     INTEGER NOT NULL,
    period    INTEGER NOT NULL,
    tree_from INTEGER NOT NULL,
    tree_to   INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (org_id, grain, period, tree_from, tree_to)
);

-- +goose Down
DROP TABLE pipeline_counts;
DROP INDEX case_pipeline_org;
DROP TABLE case_pipeline;
