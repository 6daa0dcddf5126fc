-- +goose Up
-- The data version (issue 15, item 4): one row whose number every
-- committed write advances, in the writing transaction itself, so that a
-- response cached under a version can never hold data older than it. The
-- triggers that advance it are created on every table at open
-- (store.ensureVersionTriggers), so a table added later is covered too.
CREATE TABLE IF NOT EXISTS data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO NOTHING;

-- +goose Down
-- The table stays: the triggers created at open on every table write to
-- it, and SQLite cannot drop triggers it cannot name in advance.
SELECT 1;
