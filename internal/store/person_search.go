package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"slices"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// The plan of a name search (issue 15, item 3) reads only what matches.
//
// Every plain word of the query is looked up in the scope first: the
// indexed words it is the start of (at most vocabMax, found one seek
// each), then a sample of its first sampleSize entries in the scope
// (person_words, one range per indexed word), counting those that also
// hold the query's other words. A word with fewer entries than the sample
// holds few people in the scope: the rarest such word drives, its entries
// are all read, and the matches sorted and counted (every one of them:
// the count is exact). When every word is common, the word whose sample
// matched best drives: its entries are read in list order from
// person_words_by_name and the walk stops at the page's end, and the
// count reads the word's entries in the scope until CountCap+1 matches.
// (Variables, so that a test can make them small.)
var (
	vocabMax   = 64
	sampleSize = 1000
)

// searchWord is a plain query word and what the plan found about it.
type searchWord struct {
	prefix string
	vocab  []string // the indexed words that start with prefix; nil when more than vocabMax
	n, m   int      // entries in the sample, and those holding the other query words
}

// cond returns the condition on the word column of table alias e that the
// entry's word starts with w.prefix, appending its arguments to args.
func (w *searchWord) cond(e string, args *[]any) string {
	if w.vocab == nil {
		*args = append(*args, w.prefix, prefixEnd(w.prefix))
		return e + ".word >= $" + itoa(len(*args)-1) + " AND " + e + ".word < $" + itoa(len(*args))
	}
	ph := make([]string, len(w.vocab))
	for i, v := range w.vocab {
		*args = append(*args, v)
		ph[i] = "$" + itoa(len(*args))
	}
	if len(ph) == 1 {
		return e + ".word = " + ph[0]
	}
	return e + ".word IN (" + strings.Join(ph, ", ") + ")"
}

// searchPeople is ListPeople for a query with at least one plain word.
func (s *Store) searchPeople(ctx context.Context, f PersonFilter, words []string) (_ []*domain.Person, _ int, err error) {
	lo, hi := pathRange(f.Path)
	ws := make([]*searchWord, len(words))
	for i, w := range words {
		ws[i] = &searchWord{prefix: w}
		if ws[i].vocab, err = s.wordVocab(ctx, w); err != nil {
			return nil, 0, err
		}
		if ws[i].vocab != nil && len(ws[i].vocab) == 0 {
			return nil, 0, nil // no name holds a word that starts with it
		}
	}
	// others returns the conditions on the entry e that it holds every
	// query word but the driver d, and the filters on the person p.
	needPerson := f.OrgID != 0 || f.Residence != 0 || len(f.Stages) > 0
	if c, _ := likeCondition(f.Query, 1); c != "" {
		needPerson = true
	}
	others := func(e string, d *searchWord, args *[]any) string {
		var conds []string
		for _, w := range ws {
			if w != d {
				*args = append(*args, "% "+w.prefix+"%")
				conds = append(conds, e+".words LIKE $"+itoa(len(*args)))
			}
		}
		if needPerson {
			add := func(cond string, v any) {
				*args = append(*args, v)
				conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+itoa(len(*args))))
			}
			if f.OrgID != 0 {
				add("p.org_id = $?", f.OrgID)
			}
			if f.Residence != 0 {
				add("p.residence_id = $?", f.Residence)
			}
			if len(f.Stages) > 0 {
				ph := make([]string, len(f.Stages))
				for i, st := range f.Stages {
					*args = append(*args, st)
					ph[i] = "$" + itoa(len(*args))
				}
				conds = append(conds, "p.stage IN ("+strings.Join(ph, ", ")+")")
			}
			if c, more := likeCondition(f.Query, len(*args)+1); c != "" {
				*args = append(*args, more...)
				conds = append(conds, c)
			}
		}
		if len(conds) == 0 {
			return "1 = 1"
		}
		return strings.Join(conds, " AND ")
	}
	// join and personOn join the person of entry e, when a filter needs it
	// (CROSS JOIN: SQLite keeps the entries as the outer loop).
	join := func() string {
		if needPerson {
			return " CROSS JOIN people p"
		}
		return ""
	}
	personOn := func(e string) string {
		if needPerson {
			return " AND p.id = " + e + ".person_id"
		}
		return ""
	}

	// The samples.
	var rare, best *searchWord
	for _, w := range ws {
		args := []any{lo, hi}
		sample := `(SELECT e.person_id, e.words FROM person_words e WHERE ` + w.cond("e", &args) +
			` AND e.path >= $1 AND e.path < $2 LIMIT ` + itoa(sampleSize) + `) e` + join()
		where := ""
		if needPerson {
			where = " WHERE p.id = e.person_id"
		}
		q := `SELECT COUNT(*), COALESCE(SUM(CASE WHEN ` + others("e", w, &args) + ` THEN 1 ELSE 0 END), 0) FROM ` + sample + where
		if err := s.q.QueryRowContext(ctx, q, args...).Scan(&w.n, &w.m); err != nil {
			return nil, 0, mapErr(err)
		}
		if w.n < sampleSize && (rare == nil || w.n < rare.n) {
			rare = w
		}
		if best == nil || w.m > best.m {
			best = w
		}
	}
	if rare == nil && best.m == 0 {
		// Common words that the samples never found together: the
		// matches are few, and a walk in list order would read every
		// entry of the driver in the country; read those of the scope.
		rare = best
	}
	limit := f.Limit
	if limit <= 0 || limit > 501 {
		limit = 50
	}
	offset := max(f.Offset, 0)
	var after *PersonCursor
	var afterKey []byte
	if f.After != nil {
		after, offset = f.After, 0
		afterKey, _ = hex.DecodeString(f.After.Key)
	}
	type hit struct {
		key []byte
		id  int64
	}
	var hits []hit
	seen := map[int64]bool{}
	read := func(q string, args []any, hexKey bool) error {
		rows, err := s.q.QueryContext(ctx, q, args...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var h hit
			var k string
			dst := any(&h.key)
			if hexKey {
				dst = &k
			}
			if err := rows.Scan(&h.id, dst); err != nil {
				return err
			}
			if hexKey {
				h.key, _ = hex.DecodeString(k)
			}
			if !seen[h.id] {
				seen[h.id] = true
				hits = append(hits, h)
			}
		}
		return mapErr(rows.Err())
	}
	total := 0
	if rare != nil {
		// Few entries: read them all, with the people's keys.
		args := []any{lo, hi}
		q := `SELECT e.person_id, p.name_key FROM person_words e CROSS JOIN people p WHERE ` + rare.cond("e", &args) +
			` AND e.path >= $1 AND e.path < $2 AND ` + others("e", rare, &args) + ` AND p.id = e.person_id`
		if err := read(q, args, true); err != nil {
			return nil, 0, err
		}
		total = len(hits)
	} else {
		// Common words: the driver's entries in list order, each of its
		// indexed words a walk that stops at the page's end.
		n := offset + limit
		var parts []string
		args := []any{lo, hi}
		branch := func(cond string, distinct bool) string {
			q := `SELECT e.person_id, e.name_key FROM person_words_by_name e` + join() + ` WHERE ` + cond +
				` AND e.path >= $1 AND e.path < $2` + personOn("e")
			if after != nil {
				args = append(args, afterKey, after.ID)
				q += ` AND (e.name_key, e.person_id) > ($` + itoa(len(args)-1) + `, $` + itoa(len(args)) + `)`
			}
			q += ` AND ` + others("e", best, &args) + ` ORDER BY e.name_key, e.person_id LIMIT ` + itoa(n)
			if distinct { // a person may hold several words of the range
				q = strings.Replace(q, "SELECT ", "SELECT DISTINCT ", 1)
			}
			return q
		}
		if best.vocab == nil {
			parts = append(parts, branch(best.cond("e", &args), true))
		} else {
			for _, v := range best.vocab {
				args = append(args, v)
				parts = append(parts, branch("e.word = $"+itoa(len(args)), false))
			}
		}
		for i, p := range parts {
			parts[i] = `SELECT * FROM (` + p + `) t` + itoa(i)
		}
		if err := read(strings.Join(parts, " UNION ALL "), args, false); err != nil {
			return nil, 0, err
		}
		// The count: the driver's entries in the scope, up to CountCap+1 matches.
		cargs := []any{lo, hi}
		sel := `e.person_id`
		if best.vocab == nil || len(best.vocab) > 1 {
			sel = `DISTINCT e.person_id` // a person may hold two of its words
		}
		cq := `SELECT COUNT(*) FROM (SELECT ` + sel + ` FROM person_words e` + join() + ` WHERE ` + best.cond("e", &cargs) +
			` AND e.path >= $1 AND e.path < $2` + personOn("e") + ` AND ` + others("e", best, &cargs) + ` LIMIT ` + itoa(CountCap+1) + `) t`
		if err := s.q.QueryRowContext(ctx, cq, cargs...).Scan(&total); err != nil {
			return nil, 0, mapErr(err)
		}
	}
	byKey := func(a, b hit) int {
		if c := bytes.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	}
	slices.SortFunc(hits, byKey)
	if after != nil {
		i, found := slices.BinarySearchFunc(hits, hit{afterKey, after.ID}, byKey)
		if found {
			i++
		}
		hits = hits[i:]
	}
	hits = hits[min(offset, len(hits)):]
	hits = hits[:min(limit, len(hits))]
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	people, err := s.peopleByID(ctx, ids)
	return people, total, err
}

// peopleByID returns the people with the ids, in the order of ids.
func (s *Store) peopleByID(ctx context.Context, ids []int64) ([]*domain.Person, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i], args[i] = "$"+itoa(i+1), id
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+personCols+` FROM people p WHERE p.id IN (`+strings.Join(ph, ", ")+`)`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	byID := map[int64]*domain.Person{}
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		byID[p.ID] = p
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	out := make([]*domain.Person, 0, len(ids))
	for _, id := range ids {
		if p := byID[id]; p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// wordVocab returns the indexed words that start with prefix, in byte
// order, one seek each; nil when there are more than vocabMax.
func (s *Store) wordVocab(ctx context.Context, prefix string) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `WITH RECURSIVE v(w) AS (
		SELECT (SELECT word FROM person_words WHERE word >= $1 AND word < $2 ORDER BY word LIMIT 1)
		UNION ALL
		SELECT (SELECT word FROM person_words WHERE word > v.w AND word < $2 ORDER BY word LIMIT 1) FROM v WHERE v.w IS NOT NULL
	) SELECT w FROM v WHERE w IS NOT NULL LIMIT `+itoa(vocabMax+1), prefix, prefixEnd(prefix))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	if len(out) > vocabMax {
		return nil, nil // more than vocabMax: the word is searched as a range
	}
	return out, nil
}

// searchWords returns the distinct plain words of a folded query.
func searchWords(q string) []string {
	var out []string
	for _, w := range strings.Fields(vn.Fold(q)) {
		if plainWord(w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}
