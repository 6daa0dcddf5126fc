-- +goose Up
-- Accounts (issue 13, item 2): a temporary password must be changed at the
-- next sign-in; the session epoch ends every session of the user when it
-- grows (disabled, password set). Tokens expire, can be revoked and may
-- carry the metrics permission; tokens made before this migration expire
-- 90 days after it.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN expires_at DATETIME;
ALTER TABLE api_tokens ADD COLUMN revoked_at DATETIME;
ALTER TABLE api_tokens ADD COLUMN metrics BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE api_tokens SET expires_at = datetime('now', '+90 days') WHERE expires_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- The sign-in throttle: one row per username, its attempts counted and the
-- lock decided by one upsert (store.LoginAttempt). Times in Unix ms.
DROP TABLE login_failures;
CREATE TABLE login_throttle (
    username TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,
    prev_ms  INTEGER,
    last_ms  INTEGER NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle(last_ms);

-- The hash-chained audit log (issue 13, item 4): each record carries the
-- SHA-256 of the previous record (prev_hash) and of its own canonical
-- fields with prev_hash (hash). audit_head holds the chain's last record;
-- writers lock it (SQLite: the write lock). Records written before this
-- migration are chained by the first audit write or `ketnap audit verify`
-- (chained = FALSE until then).
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(user_id, id);
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT '',
    chained   BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO audit_head (id, chained) VALUES (1, NOT EXISTS (SELECT 1 FROM audit_log));

-- +goose Down
DROP TABLE audit_head;
DROP INDEX audit_user;
DROP INDEX audit_at;
ALTER TABLE audit_log DROP COLUMN hash;
ALTER TABLE audit_log DROP COLUMN prev_hash;
DROP TABLE login_throttle;
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    at       DATETIME NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_at ON login_failures (at);
DROP INDEX api_tokens_user;
ALTER TABLE api_tokens DROP COLUMN metrics;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN session_epoch;
ALTER TABLE users DROP COLUMN must_change_password;
