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

-- "Việc cần làm" as of an earlier day reads the deadlines pending that day
-- (DOMAIN §2, issue 12): a deadline that stops being pending is kept with
-- the day it ended (valid_to), and one set by a step starts on the day it
-- was set (valid_from; NULL for the rows written before this migration),
-- with the stage, the next action and the version the case had then. The
-- pending ones are those with no valid_to.
ALTER TABLE case_deadlines ADD COLUMN valid_from TEXT;
ALTER TABLE case_deadlines ADD COLUMN valid_to TEXT;
ALTER TABLE case_deadlines ADD COLUMN stage TEXT;
ALTER TABLE case_deadlines ADD COLUMN next_action TEXT;
ALTER TABLE case_deadlines ADD COLUMN case_version INTEGER;
CREATE INDEX case_deadlines_ended ON case_deadlines(valid_to, due);

-- +goose Down
DROP INDEX case_deadlines_ended;
DELETE FROM case_deadlines WHERE valid_to IS NOT NULL;
ALTER TABLE case_deadlines DROP COLUMN case_version;
ALTER TABLE case_deadlines DROP COLUMN next_action;
ALTER TABLE case_deadlines DROP COLUMN stage;
ALTER TABLE case_deadlines DROP COLUMN valid_to;
ALTER TABLE case_deadlines DROP COLUMN valid_from;
DROP TABLE placements;
