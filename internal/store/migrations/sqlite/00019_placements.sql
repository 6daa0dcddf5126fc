-- +goose Up
-- What a reorganisation moves keeps its former place (DOMAIN §2): a person,
-- an open case, a residential unit (as its commune, as its chapter) or a
-- school (as its chapter, as its commune) given to another unit by a
-- merger keeps, for the days before the plan's date, the unit it belonged
-- to then, so that a report or a list as of an earlier day counts it where
-- it stood. Like org_names: the unit of an item on day d is that of the
-- row with the earliest valid_to after d, else the item's current one.
-- kind: person, case, place_commune, place_chapter, school, school_commune.
CREATE TABLE placements (
    kind     TEXT NOT NULL,
    item_id  INTEGER NOT NULL,
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    valid_to TEXT NOT NULL,
    PRIMARY KEY (kind, item_id, valid_to)
);
CREATE INDEX placements_until ON placements(kind, valid_to);

-- +goose Down
DROP TABLE placements;
