-- +goose Up
-- Admissions counted per unit (issue 15, item 2): for each unit, the
-- admission decisions of its subtree per day and per month, so that a
-- roll-up reads a few rows per unit shown instead of its whole subtree.
-- A row counts the admissions at the units whose place in the tree
-- (org_links) during [tree_from, tree_to) puts them under org_id (the
-- unit itself included): the roll-up on the tree of a day sums the rows
-- whose period holds that day. grain 0 is a day (period YYYYMMDD), grain
-- 1 a month (period YYYYMM); tree dates are YYYYMMDD, 99991231 for a
-- place still held. recorded counts those recorded rather than reached
-- through a case (origin <> 'case'). Maintained by the store in the
-- transaction of every write of memberships and org_links; filled at open
-- for a database that has none yet; `ketnap rebuild-counts` recomputes it.
CREATE TABLE admission_counts (
    org_id    BIGINT NOT NULL,
    grain     INTEGER NOT NULL,
    period    INTEGER NOT NULL,
    tree_from INTEGER NOT NULL,
    tree_to   INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    recorded  INTEGER NOT NULL,
    PRIMARY KEY (org_id, grain, period, tree_from, tree_to)
);
-- The units not open on a day (founded later, or closed) are few: the
-- roll-up finds them by these.
CREATE INDEX orgs_valid_from ON orgs(valid_from);
CREATE INDEX orgs_valid_to ON orgs(valid_to);

-- +goose Down
DROP INDEX orgs_valid_to;
DROP INDEX orgs_valid_from;
DROP TABLE admission_counts;
