-- +goose Up
-- A unit renamed by a reorganisation keeps its former names with the day
-- each stopped being used (DOMAIN §2): a report as of an earlier day reads
-- the name the unit had then. The name on day d is that of the row with
-- the earliest valid_to after d, else orgs.name.
CREATE TABLE org_names (
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    name     TEXT NOT NULL,
    valid_to TEXT NOT NULL,
    PRIMARY KEY (org_id, valid_to)
);

-- +goose Down
DROP TABLE org_names;
