package store

import (
	"context"
	"strings"
	"time"

	"ketnap/internal/domain"
)

// The class lists and counts the pages and reports read: the people a
// class may enrol, the counts per programme, the sources never sent to a
// class, and the certificates valid or about to lapse. Every query is
// scoped to a subtree by the range of organization paths.

// EligibleFilter selects the people a class may enrol: in one of the
// served units' subtrees (UnitPaths) and in the user's scope (Path), at
// one of Stages, not yet in the class, not in a class whose period
// overlaps [Start, End], and without a certificate of the programme still
// valid on Start.
type EligibleFilter struct {
	Path      string
	UnitPaths []string
	Stages    []string
	ClassID   int64
	Programme string
	Start     time.Time
	End       time.Time
	OrgID     int64  // only this chapter
	Query     string // folded name
	Limit     int
	Offset    int
}

func (f *EligibleFilter) where() (string, []any) {
	lo, hi := pathRange(f.Path)
	args := []any{lo, hi}
	conds := []string{"o.path >= $1", "o.path < $2"}
	var units []string
	for _, up := range f.UnitPaths {
		ulo, uhi := pathRange(up)
		args = append(args, ulo, uhi)
		units = append(units, "(o.path >= $"+itoa(len(args)-1)+" AND o.path < $"+itoa(len(args))+")")
	}
	if len(units) == 0 {
		units = []string{"FALSE"}
	}
	conds = append(conds, "("+strings.Join(units, " OR ")+")")
	ph := make([]string, len(f.Stages))
	for i, st := range f.Stages {
		args = append(args, st)
		ph[i] = "$" + itoa(len(args))
	}
	conds = append(conds, "p.stage IN ("+strings.Join(ph, ", ")+")")
	args = append(args, f.ClassID, dateArg(f.Start), dateArg(f.End), f.Programme)
	c, st, en, pr := itoa(len(args)-3), itoa(len(args)-2), itoa(len(args)-1), itoa(len(args))
	conds = append(conds,
		`NOT EXISTS (SELECT 1 FROM class_learners l WHERE l.person_id = p.id AND l.class_id = $`+c+`)`,
		`NOT EXISTS (SELECT 1 FROM class_learners l JOIN classes x ON x.id = l.class_id WHERE l.person_id = p.id
			AND l.status = 'enrolled' AND x.status <> 'cancelled' AND x.start_date <= $`+en+` AND x.end_date >= $`+st+`)`,
		`NOT EXISTS (SELECT 1 FROM certificates k WHERE k.person_id = p.id AND k.programme = $`+pr+`
			AND k.issued <= $`+st+` AND (k.valid_until IS NULL OR k.valid_until >= $`+st+`))`)
	if f.OrgID != 0 {
		args = append(args, f.OrgID)
		conds = append(conds, "p.org_id = $"+itoa(len(args)))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+escapeLike(q)+"%")
		conds = append(conds, `p.name_fold LIKE $`+itoa(len(args))+` ESCAPE '\'`)
	}
	return strings.Join(conds, " AND "), args
}

// EligiblePeople returns one page of the people f selects, by unit then
// Vietnamese name order, and how many there are.
func (s *Store) EligiblePeople(ctx context.Context, f EligibleFilter) (_ []domain.PersonRow, _ int, err error) {
	defer wrap(&err, "store.EligiblePeople")
	where, args := f.where()
	from := ` FROM people p JOIN orgs o ON o.id = p.org_id WHERE ` + where
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.q.QueryContext(ctx, `SELECT `+personCols+`, o.name, o.code`+from+
		` ORDER BY o.path, p.name_key, p.id LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var out []domain.PersonRow
	for rows.Next() {
		var r domain.PersonRow
		p, err := scanPerson(tailScanner{rows, []any{&r.OrgName, &r.OrgCode}})
		if err != nil {
			return nil, 0, err
		}
		r.Person = p
		out = append(out, r)
	}
	return out, total, mapErr(rows.Err())
}

// ClassCounts counts, per programme, the classes held with a start date
// in [from, to] (not cancelled) that are organised under path or have a
// learner whose person belongs under path; their learners (enrolments not
// withdrawn) belonging under path; and of those, the outcomes decided on
// or before to. Units and people are placed as they stood on to.
func (s *Store) ClassCounts(ctx context.Context, path string, from, to time.Time) (_ map[string]*domain.ProgrammeCount, err error) {
	defer wrap(&err, "store.ClassCounts")
	lo, hi := pathRange(path)
	out := map[string]*domain.ProgrammeCount{}
	get := func(p string) *domain.ProgrammeCount {
		if out[p] == nil {
			out[p] = &domain.ProgrammeCount{}
		}
		return out[p]
	}
	// People and units as they stood on to: the tree of that day, each
	// person at the unit they belonged to then (placedOn).
	placed := placedOn(PlacedPerson, "p.id", "p.org_id", to, "$4")
	rows, err := s.q.QueryContext(ctx, `SELECT c.programme, COUNT(*) FROM classes c JOIN `+unitsOn(to, 5)+` oc ON oc.id = c.org_id
		WHERE c.status <> 'cancelled' AND c.start_date >= $3 AND c.start_date <= $4
		  AND (oc.path >= $1 AND oc.path < $2 OR EXISTS (SELECT 1 FROM class_learners l JOIN people p ON p.id = l.person_id
		       JOIN `+unitsOn(to, 5)+` o ON o.id = `+placed+` WHERE l.class_id = c.id AND l.status = 'enrolled' AND o.path >= $1 AND o.path < $2))
		GROUP BY c.programme`, lo, hi, dateArg(from), dateArg(to), onArg(to))
	if err != nil {
		return nil, mapErr(err)
	}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			rows.Close()
			return nil, err
		}
		get(p).Classes = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	rows, err = s.q.QueryContext(ctx, `SELECT c.programme, CASE WHEN l.result_date IS NOT NULL AND l.result_date <= $4
		  THEN l.outcome ELSE 'pending' END, COUNT(*)
		FROM classes c JOIN class_learners l ON l.class_id = c.id JOIN people p ON p.id = l.person_id
		JOIN `+unitsOn(to, 5)+` o ON o.id = `+placed+`
		WHERE c.status <> 'cancelled' AND c.start_date >= $3 AND c.start_date <= $4 AND l.status = 'enrolled'
		  AND o.path >= $1 AND o.path < $2
		GROUP BY 1, 2`, lo, hi, dateArg(from), dateArg(to), onArg(to))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p, outcome string
		var n int
		if err := rows.Scan(&p, &outcome, &n); err != nil {
			return nil, err
		}
		c := get(p)
		c.Learners += n
		switch outcome {
		case domain.OutcomePass:
			c.Passed += n
		case domain.OutcomeFail:
			c.Failed += n
		case domain.OutcomeAbsent:
			c.Absent += n
		case domain.OutcomeIneligible:
			c.Ineligible += n
		default:
			c.Pending += n
		}
	}
	return out, mapErr(rows.Err())
}

// notSentWhere selects the sources (on asof: a source now, or one whose
// case was opened after it or had no dossier yet then) under path in the pool since on or
// before cutoff (from source_pool, else from the record's creation before
// cutoffAt) who were never enrolled in a class, not cancelled, starting on
// or before asof, placed as they stood on asof (notSentFrom). Arguments
// $1..$6.
const notSentWhere = `u.path >= $1 AND u.path < $2
	AND (p.stage = 'source' OR EXISTS (SELECT 1 FROM cases c0 WHERE c0.person_id = p.id AND c0.stage_before = 'source'
		AND (c0.opened_on > $5 OR (c0.closed_on IS NULL OR c0.closed_on > $5) AND (c0.dossier_opened IS NULL OR c0.dossier_opened > $5))))
	AND (sp.since <= $3 OR sp.since IS NULL AND p.created_at < $4)
	AND NOT EXISTS (SELECT 1 FROM class_learners l JOIN classes c ON c.id = l.class_id
		WHERE l.person_id = p.id AND l.status = 'enrolled' AND c.status <> 'cancelled' AND c.start_date <= $5)`

func notSentArgs(path string, cutoff, asof time.Time) []any {
	lo, hi := pathRange(path)
	return []any{lo, hi, dateArg(cutoff), cutoff.AddDate(0, 0, 1).UTC(), dateArg(asof), onArg(asof)}
}

// notSentFrom joins the people p to the unit u they belonged to on asof
// ($5) in the tree of that day ($6), and to its row o.
// placed is placedDay(asof): the zero date when no placement ends after
// asof ($5 stays used by notSentWhere).
func notSentFrom(asof, placed time.Time) string {
	return ` FROM people p JOIN ` + unitsOn(asof, 6) + ` u ON u.id = ` + placedOn(PlacedPerson, "p.id", "p.org_id", placed, "$5") +
		` JOIN orgs o ON o.id = u.id`
}

// SourcesNotSentByOrg counts the sources not sent to any class (see
// notSentWhere) per organization they belong to, most first.
func (s *Store) SourcesNotSentByOrg(ctx context.Context, path string, cutoff, asof time.Time) (_ []domain.ChapterCount, err error) {
	defer wrap(&err, "store.SourcesNotSentByOrg")
	placed, err := s.placedDay(ctx, asof)
	if err != nil {
		return nil, err
	}
	rows, err := s.q.QueryContext(ctx, `SELECT o.id, o.code, `+nameOnAs("o", "$5")+`, COALESCE(`+nameOnAs("po", "$5")+`, ''), u.path, COUNT(*)`+
		notSentFrom(asof, placed)+` LEFT JOIN orgs po ON po.id = u.parent_id LEFT JOIN source_pool sp ON sp.person_id = p.id
		WHERE `+notSentWhere+` GROUP BY o.id, o.code, o.name, po.id, po.name, u.path ORDER BY COUNT(*) DESC, u.path`, notSentArgs(path, cutoff, asof)...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.ChapterCount
	for rows.Next() {
		var c domain.ChapterCount
		if err := rows.Scan(&c.OrgID, &c.Code, &c.Name, &c.Parent, &c.Path, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// SourcesNotSent returns one page of the sources not sent to any class,
// the longest waiting first, and how many there are.
func (s *Store) SourcesNotSent(ctx context.Context, path string, cutoff, asof time.Time, limit, offset int) (_ []domain.PoolRow, _ int, err error) {
	defer wrap(&err, "store.SourcesNotSent(%d, %d)", limit, offset)
	args := notSentArgs(path, cutoff, asof)
	placed, err := s.placedDay(ctx, asof)
	if err != nil {
		return nil, 0, err
	}
	from := notSentFrom(asof, placed) + ` LEFT JOIN source_pool sp ON sp.person_id = p.id WHERE ` + notSentWhere
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	args = append(args, limit, max(offset, 0))
	rows, err := s.q.QueryContext(ctx, `SELECT `+personCols+`, `+nameOnAs("o", "$5")+`, o.code, sp.since`+from+
		` ORDER BY sp.since, u.path, p.name_key, p.id LIMIT $7 OFFSET $8`, args...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var out []domain.PoolRow
	for rows.Next() {
		var r domain.PoolRow
		var since dateCol
		p, err := scanPerson(tailScanner{rows, []any{&r.OrgName, &r.OrgCode, &since}})
		if err != nil {
			return nil, 0, err
		}
		r.Person, r.Since = p, since.T
		out = append(out, r)
	}
	return out, total, mapErr(rows.Err())
}

// tailScanner appends destinations to a row scan.
type tailScanner struct {
	row  interface{ Scan(...any) error }
	tail []any
}

func (t tailScanner) Scan(dest ...any) error { return t.row.Scan(append(dest, t.tail...)...) }

// SetSourceSince records the day a source entered the pool.
func (s *Store) SetSourceSince(ctx context.Context, personID int64, since time.Time) (err error) {
	defer wrap(&err, "store.SetSourceSince(%d)", personID)
	_, err = s.q.ExecContext(ctx, `INSERT INTO source_pool (person_id, since) VALUES ($1, $2)
		ON CONFLICT (person_id) DO UPDATE SET since = excluded.since`, personID, dateArg(since))
	if err != nil {
		return mapErr(err)
	}
	return s.refreshPeopleFunnel(ctx, []int64{personID})
}

// AwarenessHolders returns one page of the sources and candidates (on
// asof) under path holding an awareness certificate valid on asof whose last valid
// day is on or before until (any, when until is zero), the soonest to
// lapse first, and how many there are.
func (s *Store) AwarenessHolders(ctx context.Context, path string, asof, until time.Time, limit, offset int) (_ []domain.CertRow, _ int, err error) {
	defer wrap(&err, "store.AwarenessHolders(%d, %d)", limit, offset)
	lo, hi := pathRange(path)
	args := []any{lo, hi, dateArg(asof), domain.ProgAwareness, onArg(asof)}
	cond := ""
	if !until.IsZero() {
		args = append(args, dateArg(until))
		cond = ` AND k.valid_until <= $6`
	}
	// Each person at the unit they belonged to on asof, in that day's tree.
	from := ` FROM certificates k JOIN people p ON p.id = k.person_id JOIN ` + unitsOn(asof, 5) + ` u ON u.id = ` +
		placedOn(PlacedPerson, "p.id", "p.org_id", asof, "$3") + ` JOIN orgs o ON o.id = u.id
		WHERE u.path >= $1 AND u.path < $2 AND ` + onPathOn + ` AND k.programme = $4
		  AND k.issued <= $3 AND (k.valid_until IS NULL OR k.valid_until >= $3)` + cond +
		` AND NOT EXISTS (SELECT 1 FROM certificates k2 WHERE k2.person_id = k.person_id AND k2.programme = k.programme
		  AND k2.issued <= $3 AND (k2.issued > k.issued OR k2.issued = k.issued AND k2.id > k.id))`
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	args = append(args, limit, max(offset, 0))
	n := len(args)
	rows, err := s.q.QueryContext(ctx, `SELECT `+personCols+`, `+nameOnAs("o", "$3")+`, o.code, k.id, k.learner_id, k.person_id, k.class_id,
		k.programme, k.number, k.issued, k.valid_until, k.late_reason`+from+
		` ORDER BY k.valid_until, u.path, p.name_key, p.id LIMIT $`+itoa(n-1)+` OFFSET $`+itoa(n), args...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var out []domain.CertRow
	for rows.Next() {
		var r domain.CertRow
		var c domain.Certificate
		var issued, vu dateCol
		p, err := scanPerson(tailScanner{rows, []any{&r.OrgName, &r.OrgCode, &c.ID, &c.EnrolmentID, &c.PersonID, &c.ClassID,
			&c.Programme, &c.Number, &issued, &vu, &c.LateReason}})
		if err != nil {
			return nil, 0, err
		}
		c.Issued, c.ValidUntil = issued.T, vu.ptr()
		r.Person, r.Cert = p, &c
		out = append(out, r)
	}
	return out, total, mapErr(rows.Err())
}
