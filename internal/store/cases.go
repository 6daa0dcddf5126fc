package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

const caseCols = `c.id, c.person_id, c.org_id, c.kind, c.stage, c.stage_before, c.opened_on, c.helper_id, c.dossier_opened,
	c.certificate_no, c.certificate_date, c.certificate_id, c.hardship_area, c.village_elder, c.youth_union_exists,
	c.political_issue, c.left_on, c.left_ground, c.record_cleared, c.rules_id, c.decider_id, c.authorised,
	c.decision_no, c.decision_date, c.decision_received, c.membership_id, c.ceremony_date, c.recognition_no,
	c.recognition_date, c.closed_on, c.close_reason, c.paused_on, c.pause_reason, c.next_action, c.next_owner,
	c.next_due, c.version`

func scanCase(row interface{ Scan(...any) error }) (*domain.Case, error) {
	var c domain.Case
	var opened, dossier, certDate, left, cleared, decDate, received, ceremony, recDate, closed, paused, due dateCol
	var helper, certID, decider, membership nullID
	err := row.Scan(&c.ID, &c.PersonID, &c.OrgID, &c.Kind, &c.Stage, &c.StageBefore, &opened, &helper, &dossier,
		&c.CertificateNo, &certDate, &certID, &c.HardshipArea, &c.VillageElder, &c.YouthUnionExists,
		&c.PoliticalIssue, &left, &c.LeftGround, &cleared, &c.RulesID, &decider, &c.Authorised,
		&c.DecisionNo, &decDate, &received, &membership, &ceremony, &c.RecognitionNo,
		&recDate, &closed, &c.CloseReason, &paused, &c.PauseReason, &c.NextAction, &c.NextOwner,
		&due, &c.Version)
	if err != nil {
		return nil, err
	}
	c.OpenedOn, c.HelperID, c.DossierOpened = opened.T, int64(helper), dossier.ptr()
	c.CertificateDate, c.CertificateID = certDate.ptr(), int64(certID)
	c.LeftOn, c.RecordCleared, c.DeciderID = left.ptr(), cleared.ptr(), int64(decider)
	c.DecisionDate, c.DecisionReceived, c.MembershipID = decDate.ptr(), received.ptr(), int64(membership)
	c.CeremonyDate, c.RecognitionDate, c.ClosedOn = ceremony.ptr(), recDate.ptr(), closed.ptr()
	c.PausedOn, c.NextDue = paused.ptr(), due.ptr()
	return &c, nil
}

// caseArgs are the values of every column but id and version, in caseCols order.
func caseArgs(c *domain.Case) []any {
	return []any{c.PersonID, c.OrgID, c.Kind, c.Stage, c.StageBefore, dateArg(c.OpenedOn), nullInt(c.HelperID),
		dateArgPtr(c.DossierOpened), c.CertificateNo, dateArgPtr(c.CertificateDate), nullInt(c.CertificateID),
		c.HardshipArea, c.VillageElder, c.YouthUnionExists, c.PoliticalIssue, dateArgPtr(c.LeftOn), c.LeftGround,
		dateArgPtr(c.RecordCleared), c.RulesID, nullInt(c.DeciderID), c.Authorised, c.DecisionNo,
		dateArgPtr(c.DecisionDate), dateArgPtr(c.DecisionReceived), nullInt(c.MembershipID), dateArgPtr(c.CeremonyDate),
		c.RecognitionNo, dateArgPtr(c.RecognitionDate), dateArgPtr(c.ClosedOn), c.CloseReason, dateArgPtr(c.PausedOn),
		c.PauseReason, c.NextAction, c.NextOwner, dateArgPtr(c.NextDue)}
}

const caseWriteCols = `person_id, org_id, kind, stage, stage_before, opened_on, helper_id, dossier_opened,
	certificate_no, certificate_date, certificate_id, hardship_area, village_elder, youth_union_exists,
	political_issue, left_on, left_ground, record_cleared, rules_id, decider_id, authorised,
	decision_no, decision_date, decision_received, membership_id, ceremony_date, recognition_no,
	recognition_date, closed_on, close_reason, paused_on, pause_reason, next_action, next_owner, next_due`

// CreateCase inserts c (version 1), and its time in the pipeline
// (refreshPipeline) in the same transaction. A person with an open case
// already gets a conflict.
func (s *Store) CreateCase(ctx context.Context, c *domain.Case, now time.Time) (err error) {
	defer wrap(&err, "store.CreateCase")
	return s.Tx(ctx, func(tx *Store) error { return tx.createCase(ctx, c, now) })
}

func (s *Store) createCase(ctx context.Context, c *domain.Case, now time.Time) error {
	args := append(caseArgs(c), now.UTC())
	err := s.q.QueryRowContext(ctx, `INSERT INTO cases (`+caseWriteCols+`, created_at, updated_at) VALUES (`+
		placeholders(1, len(args))+`, $`+itoa(len(args))+`) RETURNING id`, args...).Scan(&c.ID)
	if err != nil {
		err = mapErr(err)
		if d, ok := errors.AsType[*ErrDuplicate](err); ok && d.On("person") {
			return domain.Errorf(domain.EConflict, "Người này đang có một hồ sơ kết nạp chưa kết thúc")
		}
		return err
	}
	c.Version = 1
	return s.refreshPipeline(ctx, []int64{c.ID})
}

// UpdateCase saves every field of c if its version is still the stored
// one, and bumps the version; otherwise the change is refused with a
// conflict and nothing is written. The case's time in the pipeline
// follows in the same transaction (refreshPipeline).
func (s *Store) UpdateCase(ctx context.Context, c *domain.Case, name string, now time.Time) (err error) {
	defer wrap(&err, "store.UpdateCase(%d)", c.ID)
	return s.Tx(ctx, func(tx *Store) error { return tx.updateCase(ctx, c, name, now) })
}

func (s *Store) updateCase(ctx context.Context, c *domain.Case, name string, now time.Time) error {
	args := append(caseArgs(c), now.UTC(), c.ID, c.Version)
	cols := strings.Split(caseWriteCols, ",")
	sets := make([]string, len(cols))
	for i, col := range cols {
		sets[i] = strings.TrimSpace(col) + " = $" + itoa(i+1)
	}
	n := len(cols)
	res, err := s.q.ExecContext(ctx, `UPDATE cases SET `+strings.Join(sets, ", ")+`, updated_at = $`+itoa(n+1)+
		`, version = version + 1 WHERE id = $`+itoa(n+2)+` AND version = $`+itoa(n+3), args...)
	if err != nil {
		return mapErr(err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return domain.StaleCase(name)
	}
	c.Version++
	return s.refreshPipeline(ctx, []int64{c.ID})
}

// RefreshCase saves what is derived from the rest of a case (the linked
// certificate, the next action and its due date) without a new version.
func (s *Store) RefreshCase(ctx context.Context, c *domain.Case) (err error) {
	defer wrap(&err, "store.RefreshCase")
	_, err = s.q.ExecContext(ctx, `UPDATE cases SET certificate_no = $1, certificate_date = $2, certificate_id = $3,
		next_action = $4, next_owner = $5, next_due = $6 WHERE id = $7`, c.CertificateNo, dateArgPtr(c.CertificateDate),
		nullInt(c.CertificateID), c.NextAction, c.NextOwner, dateArgPtr(c.NextDue), c.ID)
	return mapErr(err)
}

// GetCase returns the case with the id and the path of its chapter.
func (s *Store) GetCase(ctx context.Context, id int64) (_ *domain.Case, _ string, err error) {
	defer wrap(&err, "store.GetCase(%d)", id)
	row := s.q.QueryRowContext(ctx, `SELECT `+caseCols+`, o.path FROM cases c JOIN orgs o ON o.id = c.org_id WHERE c.id = $1`, id)
	var path string
	c, err := scanCase(scanTail{row, &path})
	if err != nil {
		return nil, "", notFound(err, "Không tìm thấy hồ sơ kết nạp số %d", id)
	}
	return c, path, nil
}

// CasesOfPerson lists a person's cases, oldest first.
func (s *Store) CasesOfPerson(ctx context.Context, personID int64) (_ []*domain.Case, err error) {
	defer wrap(&err, "store.CasesOfPerson(%d)", personID)
	rows, err := s.q.QueryContext(ctx, `SELECT `+caseCols+` FROM cases c WHERE c.person_id = $1 ORDER BY c.opened_on, c.id`, personID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// CaseFilter selects cases for a list; Path (a subtree) is required.
type CaseFilter struct {
	Path    string
	OrgID   int64    // exactly this chapter
	Stages  []string // any of these stages
	Open    bool     // only open cases
	Overdue bool     // only cases with a deadline before Today
	Today   time.Time
	// Past reads the cases as they stood on Today, an earlier day than the
	// current state (the demo's pages open on the demo's date, before its
	// later history): the cases opened by then, open then, in the unit
	// each belonged to then (transfers and mergers after it undone), under
	// the path of the tree of that day, overdue by the deadlines pending
	// then, at the stage of that day (funnelStageAsOf).
	Past   bool
	Query  string // folded substring of the candidate's name
	Limit  int
	Offset int
	// Sorted gathers the matching cases and sorts them whatever the
	// scope, instead of walking a large scope in name order (the same
	// page: the tests compare the two).
	Sorted bool
}

// casePendingOn is the condition "the deadline d was pending on $3"
// (CaseFilter.Past).
const casePendingOn = `(d.valid_from IS NULL OR d.valid_from <= $3) AND (d.valid_to IS NULL OR d.valid_to > $3) AND d.due < $3`

// where is the filter's condition; near narrows a past day's cases to
// those of the units under the path through the units' index (a small
// scope: a large one would list nearly every case of the system).
func (f *CaseFilter) where(near bool) (string, []any) {
	lo, hi := pathRange(f.Path)
	conds := []string{"o.path >= $1", "o.path < $2"}
	args := []any{lo, hi}
	if f.Past {
		// $3 is the day; o is the unit of that day in that day's tree
		args = append(args, dateArg(f.Today))
		conds = append(conds, "c.opened_on <= $3")
		if near {
			// a case at a unit under the path that day, or one transferred
			// or moved since: one list of ids, which PostgreSQL too joins
			conds = append(conds, "c.id IN (SELECT y.id FROM cases y WHERE y.org_id IN (SELECT x.id FROM "+unitsOnDay(3)+
				" x WHERE x.path >= $1 AND x.path < $2) UNION SELECT t.case_id FROM case_transfers t WHERE t.date > $3 UNION "+movedCasesAfter("$3")+")")
		}
	}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+itoa(len(args))))
	}
	if f.OrgID != 0 {
		add("o.id = $?", f.OrgID)
	}
	if len(f.Stages) > 0 {
		ph := make([]string, len(f.Stages))
		for i, st := range f.Stages {
			args = append(args, st)
			ph[i] = "$" + itoa(len(args))
		}
		stage := "c.stage"
		if f.Past { // the stage of that day, from the case's dated facts
			stage = `(CASE WHEN ` + funnelChanged + ` THEN ` + funnelStageAsOf + ` ELSE c.stage END)`
		}
		conds = append(conds, stage+" IN ("+strings.Join(ph, ", ")+")")
	}
	switch {
	case f.Open && f.Past:
		conds = append(conds, "(c.closed_on IS NULL OR c.closed_on > $3)")
	case f.Open:
		conds = append(conds, "c.closed_on IS NULL")
	}
	switch {
	case f.Overdue && f.Past:
		conds = append(conds, "EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND "+casePendingOn+")")
	case f.Overdue:
		add("EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.valid_to IS NULL AND d.due < $?)", dateArg(f.Today))
	}
	if q := vn.Fold(f.Query); q != "" {
		add(`p.name_fold LIKE $? ESCAPE '\'`, "%"+escapeLike(q)+"%")
	}
	return strings.Join(conds, " AND "), args
}

// ListCases returns one page of cases matching f, in the candidates'
// Vietnamese name order, and how many match: exactly up to CountCap,
// CountCap+1 for more (a count never reads more than CountCap+1 rows).
func (s *Store) ListCases(ctx context.Context, f CaseFilter) (_ []domain.CaseRow, _ int, err error) {
	defer wrap(&err, "store.ListCases")
	// the whole system, a unit at the top or a province: walk the
	// candidates in name order and keep their cases under the path,
	// rather than gather every case under it and sort them
	walk := f.OrgID == 0 && len(pathIDs(f.Path)) <= 2 && !f.Sorted
	// the count narrows to the units' cases but at the top
	where, args := f.where(f.OrgID != 0 || len(pathIDs(f.Path)) > 1)
	cases := `cases c JOIN orgs o ON o.id = c.org_id`
	code, name, overdue := `o.code`, `o.name`, `EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.valid_to IS NULL AND d.due < $%d)`
	if f.Past {
		cases = `cases c JOIN ` + unitsOnDay(3) + ` o ON o.id = ` + caseOrgOn("$3") + ` JOIN orgs og ON og.id = o.id`
		code, name, overdue = `og.code`, nameOnAs("og", "$3"), `EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND `+casePendingOn+` AND $%d = $%d)`
	}
	from := ` FROM ` + cases + ` JOIN people p ON p.id = c.person_id WHERE `
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1`+from+where+` LIMIT `+itoa(CountCap+1)+`) t`, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	offset := max(f.Offset, 0)
	args = append(args, dateArg(f.Today))
	sel := `SELECT ` + caseCols + `, p.full_name, p.birth_date, ` + code + `, ` + name + `, ` + strings.ReplaceAll(overdue, "%d", itoa(len(args)))
	const order = ` ORDER BY p.name_key, p.id, c.id`
	if walk && total > walkPast {
		// a page of the country reads a few thousand people (each range
		// of people tests the path on their cases' units)
		wide, _ := f.where(false) // the same arguments
		out, err := s.walkCases(ctx, sel+` FROM people p CROSS JOIN `+cases+` WHERE c.person_id = p.id AND `+wide, order, args, offset+limit)
		return pageOf(out, offset, limit), total, err
	}
	args = append(args, limit, offset)
	out, err := s.caseRows(ctx, sel+from+where+order+` LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args)
	return out, total, err
}

// walkPast is the number of cases a large scope must have for its list to
// be walked in name order: fewer are gathered and sorted at once. A walk's
// first range holds walkSpread times the rows it needs, at least
// walkFirst (five times that many people for the case list). Variables
// for the tests, which walk in small steps.
var walkPast, walkSpread, walkFirst = 2000, 4, 200

// pageOf is the page of a walk's rows that starts at offset.
func pageOf[T any](rows []T, offset, limit int) []T {
	if offset >= len(rows) {
		return nil
	}
	return rows[offset:min(len(rows), offset+limit)]
}

// walkCases reads the cases of query (its conditions on the people p and
// their cases, then its order) for the people in name order, a range of
// people at a time through their key's index (5 × walkFirst, then twice
// as many each time), until it has need of them or the people end. Each
// range is a small join every engine plans alike: PostgreSQL sorted the
// cases of the whole country for its first page when asked in one query.
func (s *Store) walkCases(ctx context.Context, query, order string, args []any, need int) ([]domain.CaseRow, error) {
	var out []domain.CaseRow
	var fromKey string
	var fromID int64
	started := false
	for batch := walkFirst * 5; len(out) < need; batch = min(2*batch, 16000) {
		// the last person of the next range
		after, bound := "", []any{}
		if started {
			after, bound = ` WHERE p.name_key > $1 OR (p.name_key = $1 AND p.id > $2)`, []any{fromKey, fromID}
		}
		var toKey string
		var toID int64
		err := s.q.QueryRowContext(ctx, `SELECT p.name_key, p.id FROM people p`+after+` ORDER BY p.name_key, p.id LIMIT 1 OFFSET `+itoa(batch-1), bound...).
			Scan(&toKey, &toID)
		last := errors.Is(err, sql.ErrNoRows)
		if err != nil && !last {
			return nil, mapErr(err)
		}
		q, a := query, slices.Clone(args)
		if started {
			a = append(a, fromKey, fromID)
			q += ` AND (p.name_key > $` + itoa(len(a)-1) + ` OR (p.name_key = $` + itoa(len(a)-1) + ` AND p.id > $` + itoa(len(a)) + `))`
		}
		if !last {
			a = append(a, toKey, toID)
			q += ` AND (p.name_key < $` + itoa(len(a)-1) + ` OR (p.name_key = $` + itoa(len(a)-1) + ` AND p.id <= $` + itoa(len(a)) + `))`
		}
		rows, err := s.caseRows(ctx, q+order+` LIMIT `+itoa(need-len(out)), a)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if last {
			break
		}
		fromKey, fromID, started = toKey, toID, true
	}
	return out, nil
}

// caseRows reads the rows of a case list's query.
func (s *Store) caseRows(ctx context.Context, query string, args []any) ([]domain.CaseRow, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.CaseRow
	for rows.Next() {
		var r domain.CaseRow
		var birth dateCol
		c, err := scanCase(scanMore{rows, []any{&r.FullName, &birth, &r.OrgCode, &r.OrgName, &r.Overdue}})
		if err != nil {
			return nil, err
		}
		r.Case, r.BirthDate = c, birth.T
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// scanMore appends several extra destinations to a row scan.
type scanMore struct {
	row  interface{ Scan(...any) error }
	more []any
}

func (t scanMore) Scan(dest ...any) error { return t.row.Scan(append(dest, t.more...)...) }
