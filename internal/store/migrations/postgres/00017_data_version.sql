-- +goose Up
-- The data version (issue 15, item 4): one row whose number every
-- committed write advances, in the writing transaction itself, so that a
-- response cached under a version can never hold data older than it. The
-- triggers that call ketnap_bump_data_version are created on every table
-- at open (store.ensureVersionTriggers), so a table added later is covered
-- too. They are deferred constraint triggers: the row is updated once per
-- transaction, at its commit, so concurrent writers queue on it only for
-- the time of a commit, not for the whole transaction.
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

-- +goose StatementBegin
CREATE FUNCTION ketnap_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF COALESCE(current_setting('ketnap.data_version_bumped', true), '') <> '1' THEN
        PERFORM set_config('ketnap.data_version_bumped', '1', true);
        UPDATE data_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION ketnap_bump_data_version() CASCADE;
DROP TABLE data_version;
