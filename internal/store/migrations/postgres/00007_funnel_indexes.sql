-- +goose Up
-- The funnel as of a past date looks for the cases opened after the date
-- (their people were still sources then) and the transfers after it (the
-- case counted at the unit it left): both by date.
CREATE INDEX cases_opened ON cases (opened_on);
CREATE INDEX case_transfers_date ON case_transfers (date);

-- +goose Down
DROP INDEX case_transfers_date;
DROP INDEX cases_opened;
