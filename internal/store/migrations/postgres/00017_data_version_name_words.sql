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

-- The words of people's folded names (issue 15, item 3): a name search
-- reads the people whose words start with each word asked, by a range on
-- this index, instead of testing every name of the scope. Maintained by
-- store.CreatePerson and UpdatePerson, filled for the people already there
-- at open (store.fillPersonWords). Words compare as bytes on both engines.
CREATE TABLE person_words (
    word      TEXT COLLATE "C" NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (word, person_id)
);
CREATE INDEX person_words_person ON person_words(person_id);
-- The people list pages by key (name order, then id).
CREATE INDEX people_key ON people(name_key, id);

-- +goose Down
DROP INDEX people_key;
DROP TABLE person_words;
DROP FUNCTION ketnap_bump_data_version() CASCADE;
DROP TABLE data_version;
