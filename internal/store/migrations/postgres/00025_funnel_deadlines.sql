-- +goose Up
-- The deadline counts of "Việc cần làm" counted per unit (issue 15, item 2):
-- case_funnel also holds, by kind, each case's deadlines pending and overdue
-- ('+todo_overdue:<kind>') or due within 30 days ('+todo_due:<kind>'), n of
-- them (a case may have several of a kind); person_funnel's n is always 1.
ALTER TABLE case_funnel ADD COLUMN n INTEGER NOT NULL DEFAULT 1;
ALTER TABLE person_funnel ADD COLUMN n INTEGER NOT NULL DEFAULT 1;
-- filled again at the next open, with the deadlines
DELETE FROM meta WHERE key = 'funnel_counts';

-- +goose Down
ALTER TABLE person_funnel DROP COLUMN n;
ALTER TABLE case_funnel DROP COLUMN n;
