package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"slices"
	"strings"
	"unicode"

	"ketnap/internal/vn"
)

// Name search (issue 15, item 3). Each word of a person's folded name
// (vn.Fold: no diacritics, đ → d, lower case), and for a word with
// punctuation inside ("h'hen") also its parts ("h", "hen"), is kept twice:
//
//   - person_words, by (word, path, person): the path is that of the
//     person's unit, so the people of a subtree holding a word are one
//     range, read in full only when they are few and counted only up to
//     what a count shows (CountCap);
//   - person_words_by_name, by (word, name key, person): the people holding
//     a word in list order, so the first page of a common word reads about
//     a page of entries, testing each entry's path for the scope.
//
// Both carry all the words of the name (" w1 w2 w3"), so that the other
// words of a query are tested on the entry itself. A query word made of
// letters and digits matches the people with a name word that starts with
// it; a query word with other characters ("100%") is a substring of the
// folded name, tested on the person as every search did before.
//
// Units' paths never change (a reorganisation closes units and moves what
// they hold), so an entry's path changes only when its person moves:
// UpdatePerson and MoveHoldings rewrite it.

// nameWords returns the indexed words of a folded name, without repeats.
func nameWords(fold string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range strings.Fields(fold) {
		add(w)
		if !plainWord(w) {
			for _, part := range strings.FieldsFunc(w, func(r rune) bool { return !isWordRune(r) }) {
				add(part)
			}
		}
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// plainWord reports whether a folded word is letters and digits only: the
// words a search finds through the index.
func plainWord(w string) bool {
	for _, r := range w {
		if !isWordRune(r) {
			return false
		}
	}
	return w != ""
}

// prefixEnd returns the smallest string greater than every string that
// starts with w (w is not empty and its last byte is not 0xFF: UTF-8).
func prefixEnd(w string) string {
	b := []byte(w)
	b[len(b)-1]++
	return string(b)
}

// wordEntry is one word of one person, as both word tables hold it.
type wordEntry struct {
	word, path, words string
	key               []byte
	id                int64
}

// personWordEntries returns the entries of a person whose folded name,
// sort key (hex, as people.name_key) and unit path are given.
func personWordEntries(id int64, fold, keyHex, path string) []wordEntry {
	ws := nameWords(fold)
	all := " " + strings.Join(ws, " ")
	key, _ := hex.DecodeString(keyHex)
	out := make([]wordEntry, len(ws))
	for i, w := range ws {
		out[i] = wordEntry{word: w, path: path, words: all, key: key, id: id}
	}
	return out
}

// insertWordEntries writes entries into both word tables.
func (s *Store) insertWordEntries(ctx context.Context, es []wordEntry) error {
	if len(es) == 0 {
		return nil
	}
	if err := s.insertRows(ctx, "person_words", []string{"word", "path", "person_id", "words"}, len(es), func(i int) []any {
		return []any{es[i].word, es[i].path, es[i].id, es[i].words}
	}); err != nil {
		return err
	}
	return s.insertRows(ctx, "person_words_by_name", []string{"word", "name_key", "person_id", "path", "words"}, len(es), func(i int) []any {
		return []any{es[i].word, es[i].key, es[i].id, es[i].path, es[i].words}
	})
}

// loadWordEntries is insertWordEntries for the bulk loaders (loadRows),
// each table's rows in its key's order: the B-trees then grow at a few
// places instead of at a random page for every row.
func (s *Store) loadWordEntries(ctx context.Context, es []wordEntry) error {
	if len(es) == 0 {
		return nil
	}
	byPath := slices.Clone(es)
	slices.SortFunc(byPath, func(a, b wordEntry) int {
		return cmp.Or(strings.Compare(a.word, b.word), strings.Compare(a.path, b.path), cmp.Compare(a.id, b.id))
	})
	if err := s.loadRows(ctx, "person_words", []string{"word", "path", "person_id", "words"}, len(byPath), func(i int) []any {
		return []any{byPath[i].word, byPath[i].path, byPath[i].id, byPath[i].words}
	}); err != nil {
		return err
	}
	byName := byPath
	slices.SortFunc(byName, func(a, b wordEntry) int {
		return cmp.Or(strings.Compare(a.word, b.word), bytes.Compare(a.key, b.key), cmp.Compare(a.id, b.id))
	})
	return s.loadRows(ctx, "person_words_by_name", []string{"word", "name_key", "person_id", "path", "words"}, len(byName), func(i int) []any {
		return []any{byName[i].word, byName[i].key, byName[i].id, byName[i].path, byName[i].words}
	})
}

// deletePersonWords removes the entries of a person whose stored sort key
// (hex) is keyHex: person_words_by_name is found through the words of
// person_words, as it has no index by person.
func (s *Store) deletePersonWords(ctx context.Context, id int64, keyHex string) error {
	key, _ := hex.DecodeString(keyHex)
	if _, err := s.q.ExecContext(ctx, `DELETE FROM person_words_by_name
		WHERE word IN (SELECT word FROM person_words WHERE person_id = $1) AND name_key = $2 AND person_id = $1`, id, key); err != nil {
		return mapErr(err)
	}
	_, err := s.q.ExecContext(ctx, `DELETE FROM person_words WHERE person_id = $1`, id)
	return mapErr(err)
}

// setPersonWords writes the entries of a person, after removing the old
// ones (stored under the sort key oldKey) unless fresh.
func (s *Store) setPersonWords(ctx context.Context, id int64, fold, keyHex string, orgID int64, fresh bool, oldKey string) error {
	if !fresh {
		if err := s.deletePersonWords(ctx, id, oldKey); err != nil {
			return err
		}
	}
	var path string
	if err := s.q.QueryRowContext(ctx, `SELECT path FROM orgs WHERE id = $1`, orgID).Scan(&path); err != nil {
		return mapErr(err)
	}
	return s.insertWordEntries(ctx, personWordEntries(id, fold, keyHex, path))
}

// rekeyPersonWords gives the entries of a person a new sort key (hex).
func (s *Store) rekeyPersonWords(ctx context.Context, id int64, oldKey, newKey string) error {
	o, _ := hex.DecodeString(oldKey)
	n, _ := hex.DecodeString(newKey)
	_, err := s.q.ExecContext(ctx, `UPDATE person_words_by_name SET name_key = $1
		WHERE word IN (SELECT word FROM person_words WHERE person_id = $2) AND name_key = $3 AND person_id = $2`, n, id, o)
	return mapErr(err)
}

// movePersonWords gives the entries of the people of unit from the path
// of unit into; called before the people move.
func (s *Store) movePersonWords(ctx context.Context, from, into int64) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE person_words_by_name SET path = (SELECT path FROM orgs WHERE id = $1)
		WHERE (word, name_key, person_id) IN (SELECT w.word, `+s.unhex("p.name_key")+`, p.id
		  FROM people p JOIN person_words w ON w.person_id = p.id WHERE p.org_id = $2)`, into, from); err != nil {
		return mapErr(err)
	}
	_, err := s.q.ExecContext(ctx, `UPDATE person_words SET path = (SELECT path FROM orgs WHERE id = $1)
		WHERE person_id IN (SELECT id FROM people WHERE org_id = $2)`, into, from)
	return mapErr(err)
}

// unhex returns the SQL that turns the hex text expr into bytes.
func (s *Store) unhex(expr string) string {
	if s.engine == Postgres {
		return "decode(" + expr + ", 'hex')"
	}
	return "unhex(" + expr + ")"
}

// metaPersonWords names the meta row that says the word tables have been
// filled for the people stored before they existed.
const metaPersonWords = "person_words"

// fillPersonWords fills the word tables anew, once per database (the
// people added after go through CreatePerson): after the migration that
// made them, or when the meta row is cleared.
func (s *Store) fillPersonWords(ctx context.Context) (err error) {
	defer wrap(&err, "store.fillPersonWords")
	if v, err := s.GetMeta(ctx, metaPersonWords); err != nil || v == "1" {
		return err
	}
	for _, t := range []string{"person_words_by_name", "person_words"} {
		if _, err := s.q.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return mapErr(err)
		}
	}
	var last int64
	for {
		var batch []wordEntry
		n := 0
		rows, err := s.q.QueryContext(ctx, `SELECT p.id, p.name_fold, p.name_key, o.path FROM people p JOIN orgs o ON o.id = p.org_id
			WHERE p.id > $1 ORDER BY p.id LIMIT $2`, last, nameKeyBatch)
		if err != nil {
			return mapErr(err)
		}
		for rows.Next() {
			var id int64
			var fold, key, path string
			if err := rows.Scan(&id, &fold, &key, &path); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, personWordEntries(id, fold, key, path)...)
			last, n = id, n+1
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			break
		}
		if err := s.Tx(ctx, func(tx *Store) error { return tx.loadWordEntries(ctx, batch) }); err != nil {
			return err
		}
	}
	if s.engine == Postgres {
		// Index-only scans read the heap too until a vacuum has marked
		// the new pages all-visible (seen: 32 ms instead of 4 ms).
		if _, err := s.db.ExecContext(ctx, `VACUUM (ANALYZE) person_words, person_words_by_name`); err != nil {
			return mapErr(err)
		}
	}
	return s.SetMeta(ctx, metaPersonWords, "1")
}

// likeCondition returns the SQL condition (with its arguments numbered
// from next) that the folded name p.name_fold holds each query word of q
// that is not a plain word (the plain ones are searched through the word
// tables).
func likeCondition(q string, next int) (string, []any) {
	var conds []string
	var args []any
	for _, w := range strings.Fields(vn.Fold(q)) {
		if plainWord(w) {
			continue
		}
		args = append(args, "%"+escapeLike(w)+"%")
		conds = append(conds, `p.name_fold LIKE $`+itoa(next+len(args)-1)+` ESCAPE '\'`)
	}
	return strings.Join(conds, " AND "), args
}
