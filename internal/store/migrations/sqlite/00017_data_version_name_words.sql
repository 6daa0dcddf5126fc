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

-- The words of people's folded names (issue 15, item 3): a name search
-- reads the people whose words start with each word asked, by a range on
-- this index, instead of testing every name of the scope. Maintained by
-- store.CreatePerson and UpdatePerson, filled for the people already there
-- at open (store.fillPersonWords). Words compare as bytes on both engines.
CREATE TABLE person_words (
    word      TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (word, person_id)
);
CREATE INDEX person_words_person ON person_words(person_id);
-- The people list pages by key (name order, then id).
CREATE INDEX people_key ON people(name_key, id);

-- +goose Down
DROP INDEX people_key;
DROP TABLE person_words;
-- The table stays: the triggers created at open on every table write to
-- it, and SQLite cannot drop triggers it cannot name in advance.
SELECT 1;
