-- +goose Up
-- The members of each village, buôn or residential group counted per day
-- (issue 15, item 2): the breakdowns list every residential unit of a
-- subtree with its party members on the report's day, which they counted
-- from the people who live there. residence_members is the step function
-- of that count: n members from day (YYYYMMDD) until the unit's next row,
-- none before its first row. A person is a member on a day as
-- store.memberOn says (a member now since their last decision, or within
-- a membership that ended later). Kept by the store with every write of
-- a person and of a membership; filled at the next open.
CREATE TABLE residence_members (
    residence_id BIGINT NOT NULL,
    day          INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (residence_id, day)
);

-- +goose Down
DROP TABLE residence_members;
