-- +goose Up
-- Where an admission came from (DOMAIN §4): 'case' when the decision was
-- recorded at the decision step of a ketnap case; 'paper' when a member
-- admitted before ketnap was recorded from paper (the person page's form,
-- POST /api/v1/people/{id}/memberships); 'import' when the members import
-- wrote it. Progress counts every admission and, beside it, those that
-- were recorded (origin <> 'case'). The covering indexes of the roll-up
-- gain the column, so that the count stays on the index.
ALTER TABLE memberships ADD COLUMN origin TEXT NOT NULL DEFAULT 'paper';
UPDATE memberships SET origin = 'case'
    WHERE id IN (SELECT membership_id FROM cases WHERE membership_id IS NOT NULL AND kind <> 'imported');
UPDATE memberships SET origin = 'import'
    WHERE id IN (SELECT membership_id FROM cases WHERE membership_id IS NOT NULL AND kind = 'imported');
DROP INDEX memberships_date_org;
DROP INDEX memberships_org_date;
CREATE INDEX memberships_date_org ON memberships(decision_date, admitted_org_id, origin);
CREATE INDEX memberships_org_date ON memberships(admitted_org_id, decision_date, origin);

-- The projection counts the cases past the chapter vote and not decided
-- on the as-of date, from three partial indexes whose size follows the
-- pipeline, not the history: the open undecided cases past the source
-- and dossier stages (today's pipeline), the decided cases by decision
-- date, and the undecided closed ones by closing date (for an as-of date
-- before they were decided or closed).
CREATE INDEX cases_pipeline ON cases(org_id)
    WHERE closed_on IS NULL AND decision_date IS NULL AND stage NOT IN ('source', 'dossier');
CREATE INDEX cases_decision_date ON cases(decision_date) WHERE decision_date IS NOT NULL;
CREATE INDEX cases_closed_undecided ON cases(closed_on) WHERE decision_date IS NULL AND closed_on IS NOT NULL;

-- +goose Down
DROP INDEX cases_closed_undecided;
DROP INDEX cases_decision_date;
DROP INDEX cases_pipeline;
DROP INDEX memberships_org_date;
DROP INDEX memberships_date_org;
CREATE INDEX memberships_date_org ON memberships(decision_date, admitted_org_id);
CREATE INDEX memberships_org_date ON memberships(admitted_org_id, decision_date);
ALTER TABLE memberships DROP COLUMN origin;
