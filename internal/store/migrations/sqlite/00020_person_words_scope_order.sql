-- +goose Up
-- Name search reads only what matches (issue 15, item 3). The words of
-- people's folded names are kept twice, each copy carrying the path of the
-- person's unit (a unit's path never changes) and all the words of the
-- name (" word word…", so that the other words of a query are tested on
-- the entry itself, without reading the person):
--   person_words, by (word, path): the matches of a word in a subtree are
--   one range of it, so a count stops after what it counts;
--   person_words_by_name, by (word, sort key, id): the matches of a word in
--   list order, so the first page of a common word reads about a page.
-- The name key is kept as bytes (people.name_key is its hex), half the size.
-- Both are filled at open (store.fillPersonWords) and kept by the store's
-- writes of people (CreatePerson, UpdatePerson, MoveHoldings, BulkPeople).
DROP TABLE person_words;
CREATE TABLE person_words (
    word      TEXT NOT NULL,
    path      TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    words     TEXT NOT NULL,
    PRIMARY KEY (word, path, person_id)
) WITHOUT ROWID;
CREATE INDEX person_words_person ON person_words(person_id);
CREATE TABLE person_words_by_name (
    word      TEXT NOT NULL,
    name_key  BLOB NOT NULL,
    person_id INTEGER NOT NULL,
    path      TEXT NOT NULL,
    words     TEXT NOT NULL,
    PRIMARY KEY (word, name_key, person_id)
) WITHOUT ROWID;
DELETE FROM meta WHERE key = 'person_words';

-- +goose Down
DROP TABLE person_words_by_name;
DROP TABLE person_words;
CREATE TABLE person_words (
    word      TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    PRIMARY KEY (word, person_id)
);
CREATE INDEX person_words_person ON person_words(person_id);
DELETE FROM meta WHERE key = 'person_words';
