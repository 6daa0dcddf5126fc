-- +goose Up
-- Excel files checked on the import page (/nhap) and kept for a short time
-- so that the user can confirm the import without choosing the file again.
-- A row belongs to one user and one kind; the token is random (crypto/rand)
-- and travels in the confirm form. Rows older than the page's time limit
-- are purged whenever a new one is kept.
CREATE TABLE pending_imports (
    token      TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    file_name  TEXT NOT NULL DEFAULT '',
    sha256     TEXT NOT NULL,
    data       BLOB NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX pending_imports_created ON pending_imports (created_at);
CREATE INDEX pending_imports_user ON pending_imports (user_id, created_at);

-- +goose Down
DROP TABLE pending_imports;
