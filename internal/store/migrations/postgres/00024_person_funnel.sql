-- +goose Up
-- The sources of the funnel counted per unit (issue 15, item 2): each
-- person's time as a source without an open case ('+loose') and as a
-- source not sent to an awareness class for more than six months
-- ('+not_sent'), as store.SourcesWithoutCase and SourcesNotSentByOrg count
-- them, at the unit the person belonged to (org_id); their entries and
-- exits are counted in funnel_counts with the cases' measures. Kept by the
-- store with every write of a person, their source pool entry, cases and
-- class enrolments, and with a merger's move of the people.
CREATE TABLE person_funnel (
    person_id BIGINT NOT NULL,
    metric    TEXT NOT NULL,
    day_from  INTEGER NOT NULL,
    day_to    INTEGER NOT NULL,
    org_id    BIGINT NOT NULL,
    PRIMARY KEY (person_id, metric, day_from)
);
CREATE INDEX person_funnel_org ON person_funnel(org_id);
-- filled at the next open, with the cases' measures
DELETE FROM meta WHERE key = 'funnel_counts';

-- +goose Down
DROP INDEX person_funnel_org;
DROP TABLE person_funnel;
