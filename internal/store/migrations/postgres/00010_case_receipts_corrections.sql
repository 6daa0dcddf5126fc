-- +goose Up
-- Each clock starts where the reference starts it (issue 11, item 4): a
-- verification reply from the day the committee asked received the
-- request (HD06 §3.4), a transferred dossier's decision from the day the
-- destination received it (HD06 §3.9). NULL: not recorded, the deadline
-- counts from the sending or transfer date and says so.
ALTER TABLE case_verifications ADD COLUMN received_on DATE;
ALTER TABLE case_transfers ADD COLUMN received_on DATE;

-- A recorded fact corrected in place (issue 11, item 6): which record,
-- each field's old and new value (JSON array of {field, label, old, new}),
-- the reason, who and when. The audit log holds the same detail.
CREATE TABLE case_corrections (
    id        BIGSERIAL PRIMARY KEY,
    case_id   BIGINT NOT NULL REFERENCES cases(id),
    target    TEXT NOT NULL,
    record_id BIGINT,
    what      TEXT NOT NULL,
    changes   TEXT NOT NULL,
    reason    TEXT NOT NULL,
    user_id   BIGINT,
    username  TEXT NOT NULL DEFAULT '',
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_corrections_case ON case_corrections(case_id);

-- +goose Down
DROP TABLE case_corrections;
ALTER TABLE case_transfers DROP COLUMN received_on;
ALTER TABLE case_verifications DROP COLUMN received_on;
