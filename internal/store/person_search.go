package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"

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
// matched best drives: the count reads its entries in the scope until
// CountCap+1 matches; when they are more than collectMax, its entries are
// read in list order from person_words_by_name and the walk stops at the
// page's end, else the matches are sorted as a rare word's.
// (Variables, so that a test can make them small.)
var (
	vocabMax   = 64
	sampleSize = 1000
	collectMax = 1000
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
				*args = append(*args, " "+w.prefix)
				conds = append(conds, s.holds(e+".words", "$"+itoa(len(*args))))
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
	if rare != nil {
		return s.searchRare(ctx, lo, hi, rare, others, join(), personOn("e"), after, limit, offset, -1)
	}
	// The count: the driver's entries in the scope, up to CountCap+1
	// matches, unless counted already at this data version. Few matches
	// are sorted by the database, as for a rare word: a walk in list
	// order would read every entry before the first match when the
	// matches are all late in the order (the other words are a family
	// name, which comes after the given name in the key).
	ck := fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%q", f.Path, vn.Fold(f.Query), f.OrgID, f.Residence, f.Stages)
	version, total := s.counts.get(ctx, s, ck)
	if total < 0 {
		if total, err = s.countSearch(ctx, lo, hi, best, others, join(), personOn("e")); err != nil {
			return nil, 0, err
		}
		s.counts.put(version, ck, total)
	}
	if total <= collectMax {
		return s.searchRare(ctx, lo, hi, best, others, join(), personOn("e"), after, limit, offset, total)
	}
	type hit struct {
		key []byte
		id  int64
	}
	var hits []hit
	seen := map[int64]bool{}
	read := func(q string, args []any) error {
		rows, err := s.q.QueryContext(ctx, q, args...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var h hit
			if err := rows.Scan(&h.id, &h.key); err != nil {
				return err
			}
			if !seen[h.id] {
				seen[h.id] = true
				hits = append(hits, h)
			}
		}
		return mapErr(rows.Err())
	}
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
	if err := read(strings.Join(parts, " UNION ALL "), args); err != nil {
		return nil, 0, err
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

// searchRare is the page and the count (unless total, counted already, is
// given) of a search driven by a word with few entries in the scope (fewer
// than sampleSize), or with few matches (collectMax): the database reads
// them all, joins the people that match and sorts them. others, join and
// personOn are searchPeople's.
func (s *Store) searchRare(ctx context.Context, lo, hi string, d *searchWord, others func(string, *searchWord, *[]any) string,
	join, personOn string, after *PersonCursor, limit, offset, total int) (_ []*domain.Person, _ int, err error) {
	if total < 0 {
		if total, err = s.countSearch(ctx, lo, hi, d, others, join, personOn); err != nil {
			return nil, 0, err
		}
	}
	if total == 0 {
		return nil, 0, nil
	}
	args := []any{lo, hi}
	sel := `SELECT e.person_id`
	if d.vocab == nil || len(d.vocab) > 1 {
		sel = `SELECT DISTINCT e.person_id` // a person may hold two of its words
	}
	// The filters on the person are tested inside, where p is the person
	// of the entry, then p is joined again for the page.
	inner := sel + ` FROM person_words e` + join + ` WHERE ` + d.cond("e", &args) + ` AND e.path >= $1 AND e.path < $2` +
		personOn + ` AND ` + others("e", d, &args)
	// MATERIALIZED: PostgreSQL would otherwise walk every person in list
	// order, testing each against the entries, when it expects the
	// matches to be many (seen: 3 s instead of 2 ms).
	q := `WITH x AS MATERIALIZED (` + inner + `) SELECT ` + personCols + ` FROM x CROSS JOIN people p WHERE p.id = x.person_id`
	if after != nil {
		args = append(args, after.Key, after.ID)
		q += ` AND (p.name_key, p.id) > ($` + itoa(len(args)-1) + `, $` + itoa(len(args)) + `)`
	}
	args = append(args, limit, offset)
	q += ` ORDER BY p.name_key, p.id LIMIT $` + itoa(len(args)-1) + ` OFFSET $` + itoa(len(args))
	out, err := collect(ctx, s, scanPerson, q, args...)
	return out, total, err
}

// countSearch counts the matches of a search driven by the word d, up to
// CountCap+1: others, join and personOn are searchPeople's.
func (s *Store) countSearch(ctx context.Context, lo, hi string, d *searchWord,
	others func(string, *searchWord, *[]any) string, join, personOn string) (int, error) {
	args := []any{lo, hi}
	sel := `e.person_id`
	if d.vocab == nil || len(d.vocab) > 1 {
		sel = `DISTINCT e.person_id` // a person may hold two of its words
	}
	q := `SELECT COUNT(*) FROM (SELECT ` + sel + ` FROM person_words e` + join + ` WHERE ` + d.cond("e", &args) +
		` AND e.path >= $1 AND e.path < $2` + personOn + ` AND ` + others("e", d, &args) + ` LIMIT ` + itoa(CountCap+1) + `) t`
	var n int
	err := s.q.QueryRowContext(ctx, q, args...).Scan(&n)
	return n, mapErr(err)
}

// searchCounts keeps the counts of the people lists and of the searches
// that walk common words, for the data version they were counted at: the
// next pages of a list, and the same list again, do not count again until
// a write. A store in a transaction has none (its writes are not yet a
// version).
type searchCounts struct {
	mu      sync.Mutex
	version int64
	m       map[string]int
}

// searchCountsMax is how many counts are kept at most.
const searchCountsMax = 512

// get returns the current data version and the count kept for key at it,
// or -1.
func (c *searchCounts) get(ctx context.Context, s *Store, key string) (int64, int) {
	if c == nil {
		return 0, -1
	}
	v, err := s.DataVersion(ctx)
	if err != nil {
		return 0, -1
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.m[key]; ok && c.version == v {
		return v, n
	}
	return v, -1
}

// put keeps the count of key counted at version v.
func (c *searchCounts) put(v int64, key string, n int) {
	if c == nil || v == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != v || len(c.m) >= searchCountsMax {
		c.version, c.m = v, map[string]int{}
	}
	c.m[key] = n
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

// holds returns the SQL condition that the text expr holds the text sub
// (cheaper than LIKE '%…%' on both engines).
func (s *Store) holds(expr, sub string) string {
	if s.engine == Postgres {
		return "strpos(" + expr + ", " + sub + ") > 0"
	}
	return "instr(" + expr + ", " + sub + ") > 0"
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
