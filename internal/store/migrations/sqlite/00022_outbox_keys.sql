-- +goose Up
-- The forms a phone kept while offline carry a key (issue 16): the first
-- time one arrives and is saved, the page it was sent on to is kept under
-- the user and the key, so that the same form sent again (its answer lost
-- on a weak connection) is not saved twice but sent on to the same page.
-- Kept 30 days.
CREATE TABLE outbox_keys (
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    location   TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX outbox_keys_created ON outbox_keys (created_at);

-- +goose Down
DROP TABLE outbox_keys;
