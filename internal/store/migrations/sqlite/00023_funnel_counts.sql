-- +goose Up
-- The funnel counted per unit (issue 15, item 2): the open cases by their
-- stage on a day, with the flags the funnel shows, as the funnel computes
-- them from the cases (store.FunnelCounts). case_funnel is each case's time
-- under each measure, day_from inclusive, day_to exclusive (YYYYMMDD,
-- 99991231 while it lasts), at the unit it counted at (org_id): the
-- measure is a stage of the case ('source', 'dossier', …, as the funnel
-- derives it for the day) or one of '+in_class', '+certified' (on the days
-- at the source stage), '+overdue' and '+stalled' (no step recorded for 90
-- days, or overdue). funnel_counts holds, for each unit, measure and period
-- of the tree (as pipeline_counts), the cases entering (+1) and leaving
-- (-1) the measure at the units under it, per day (grain 0) and per month
-- (grain 1). Maintained by the store in the transaction of every write of
-- cases, their votes, verifications, transfers and deadlines, of class
-- enrolments and of org_links; filled at open for a database that has none
-- yet; `ketnap rebuild-counts` recomputes both.
CREATE TABLE case_funnel (
    case_id  INTEGER NOT NULL,
    metric   TEXT NOT NULL,
    day_from INTEGER NOT NULL,
    day_to   INTEGER NOT NULL,
    org_id   INTEGER NOT NULL,
    PRIMARY KEY (case_id, metric, day_from)
) WITHOUT ROWID;
CREATE INDEX case_funnel_org ON case_funnel(org_id);
CREATE TABLE funnel_counts (
    org_id    INTEGER NOT NULL,
    metric    TEXT NOT NULL,
    grain     INTEGER NOT NULL,
    period    INTEGER NOT NULL,
    tree_from INTEGER NOT NULL,
    tree_to   INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (org_id, grain, period, metric, tree_from, tree_to)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE funnel_counts;
DROP INDEX case_funnel_org;
DROP TABLE case_funnel;
