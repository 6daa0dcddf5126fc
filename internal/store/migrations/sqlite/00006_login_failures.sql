-- +goose Up
-- Wrong passwords by username, so that the sign-in throttle (ten within
-- fifteen minutes lock the username) holds across every server process
-- sharing the database. Rows older than the window are purged on each
-- new failure; a successful sign-in clears the username's rows.
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    at       DATETIME NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- +goose Down
DROP TABLE login_failures;
