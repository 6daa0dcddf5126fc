package store

import (
	"context"
	"strings"
	"unicode"

	"ketnap/internal/vn"
)

// Name search (issue 15, item 3). person_words holds the words of each
// person's folded name (vn.Fold: no diacritics, đ → d, lower case), and
// for a word with punctuation inside ("h'hen") also its parts ("h",
// "hen"). A query word made of letters and digits matches the people with
// a name word that starts with it: a range on the words' primary key,
// the same bytes on both engines (COLLATE "C" on PostgreSQL). A query
// word with other characters ("100%") falls back to a substring of the
// folded name, as every search did before.

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

// setPersonWords replaces the indexed words of a person.
func (s *Store) setPersonWords(ctx context.Context, id int64, fold string, fresh bool) error {
	if !fresh {
		if _, err := s.q.ExecContext(ctx, `DELETE FROM person_words WHERE person_id = $1`, id); err != nil {
			return mapErr(err)
		}
	}
	for _, w := range nameWords(fold) {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO person_words (word, person_id) VALUES ($1, $2)`, w, id); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// metaPersonWords names the meta row that says person_words has been
// filled for the people stored before it existed.
const metaPersonWords = "person_words"

// fillPersonWords fills person_words for the people that have no words
// yet, once per database (the people added after go through CreatePerson).
func (s *Store) fillPersonWords(ctx context.Context) (err error) {
	defer wrap(&err, "store.fillPersonWords")
	if v, err := s.GetMeta(ctx, metaPersonWords); err != nil || v == "1" {
		return err
	}
	var last int64
	for {
		type row struct {
			id   int64
			fold string
		}
		var batch []row
		rows, err := s.q.QueryContext(ctx, `SELECT id, name_fold FROM people WHERE id > $1
			AND NOT EXISTS (SELECT 1 FROM person_words w WHERE w.person_id = people.id) ORDER BY id LIMIT $2`, last, nameKeyBatch)
		if err != nil {
			return mapErr(err)
		}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.fold); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		if len(batch) == 0 {
			break
		}
		last = batch[len(batch)-1].id
		if err := s.Tx(ctx, func(tx *Store) error {
			for _, r := range batch {
				if err := tx.setPersonWords(ctx, r.id, r.fold, true); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return s.SetMeta(ctx, metaPersonWords, "1")
}

// nameCondition returns the SQL condition (with its arguments numbered
// from next) that a person's name matches the query words of q.
//
// byPerson chooses the form: for a small scope the scope's people are read
// and each one's few words tested (EXISTS on person_words_person); for a
// large one the matching words are read first and their people tested
// against the scope (IN on the words' primary key).
func nameCondition(q string, next int, byPerson bool) (string, []any) {
	var conds []string
	var args []any
	for _, w := range strings.Fields(vn.Fold(q)) {
		if plainWord(w) {
			args = append(args, w, prefixEnd(w))
			lo, hi := itoa(next+len(args)-2), itoa(next+len(args)-1)
			if byPerson {
				conds = append(conds, `EXISTS (SELECT 1 FROM person_words w WHERE w.person_id = p.id AND w.word >= $`+lo+` AND w.word < $`+hi+`)`)
			} else {
				conds = append(conds, `p.id IN (SELECT person_id FROM person_words WHERE word >= $`+lo+` AND word < $`+hi+`)`)
			}
			continue
		}
		args = append(args, "%"+escapeLike(w)+"%")
		conds = append(conds, `p.name_fold LIKE $`+itoa(next+len(args)-1)+` ESCAPE '\'`)
	}
	return strings.Join(conds, " AND "), args
}
