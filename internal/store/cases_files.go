package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
)

// AddCaseFile stores an attached scan with its contents.
func (s *Store) AddCaseFile(ctx context.Context, f *domain.CaseFile) (err error) {
	defer wrap(&err, "store.AddCaseFile")
	err = s.q.QueryRowContext(ctx, `INSERT INTO case_files (case_id, kind, name, content_type, size, sha256, data, uploaded_at,
		uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, f.CaseID, f.Kind, f.Name, f.ContentType,
		f.Size, f.SHA256, f.Data, f.UploadedAt.UTC(), f.UploadedBy).Scan(&f.ID)
	return mapErr(err)
}

// CaseFile returns an attached file of the case with its contents.
func (s *Store) CaseFile(ctx context.Context, caseID, id int64) (_ *domain.CaseFile, err error) {
	defer wrap(&err, "store.CaseFile(%d, %d)", caseID, id)
	var f domain.CaseFile
	var at timeCol
	err = s.q.QueryRowContext(ctx, `SELECT `+fileMetaCols+`, data FROM case_files WHERE case_id = $1 AND id = $2`, caseID, id).
		Scan(&f.ID, &f.CaseID, &f.Kind, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &at, &f.UploadedBy, &f.Data)
	if err != nil {
		return nil, notFound(err, "Không tìm thấy tệp số %d của hồ sơ", id)
	}
	f.UploadedAt = at.T
	return &f, nil
}

// TodoFilter selects the deadlines pending on Today of the cases open
// then under Path (placed as they stood that day) that fall on or before
// Until (overdue ones included).
type TodoFilter struct {
	Path    string
	OrgID   int64 // exactly this chapter
	Kinds   []string
	Overdue bool // only deadlines before Today
	Today   time.Time
	Until   time.Time
	Limit   int
	Offset  int
	Total   *int // how many match, when the caller knows (the counts kept per unit); nil: counted here
	Sorted  bool // gather and sort whatever the scope (CaseFilter.Sorted)
}

func (f *TodoFilter) where() (string, []any) {
	return f.whereNear(true)
}

// whereNear is where, with todoNear, or for a walk of the deadlines of a
// large scope soonest first: without it (it would narrow nothing), and
// with the deadline's end tested so that SQLite walks the due dates'
// index rather than gather the deadlines through their ends' (and sort
// them all).
func (f *TodoFilter) whereNear(near bool) (string, []any) {
	lo, hi := pathRange(f.Path)
	// $3 is Today: the deadlines pending that day (todoPending), of the
	// cases open and not paused then, at the unit each belonged to then,
	// in that day's tree ($4).
	conds := []string{"o.path >= $1", "o.path < $2", todoPending}
	if near {
		conds = append(conds, todoNear)
	} else {
		conds[2] = strings.Replace(todoPending, `(d.valid_to IS NULL OR d.valid_to > $3)`, `COALESCE(d.valid_to, '9999-12-31') > $3`, 1)
	}
	args := []any{lo, hi, dateArg(f.Today), dateArg(f.Today)}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+itoa(len(args))))
	}
	if f.Overdue {
		conds = append(conds, "d.due < $3")
	} else {
		add("d.due <= $?", dateArg(f.Until))
	}
	if f.OrgID != 0 {
		add("o.id = $?", f.OrgID)
	}
	if len(f.Kinds) > 0 {
		ph := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			args = append(args, k)
			ph[i] = "$" + itoa(len(args))
		}
		conds = append(conds, "d.kind IN ("+strings.Join(ph, ", ")+")")
	}
	return strings.Join(conds, " AND "), args
}

// todoPending is the condition "the deadline d was pending on $3, on a
// case open and not paused that day" (a case paused now is taken as
// paused since its pause, a resumed one as never paused: the pause
// history is not kept).
const todoPending = `(d.valid_from IS NULL OR d.valid_from <= $3) AND (d.valid_to IS NULL OR d.valid_to > $3)
	AND c.opened_on <= $3 AND (c.closed_on IS NULL OR c.closed_on > $3) AND (c.paused_on IS NULL OR c.paused_on > $3)`

// todoNear narrows the cases c to those that may stand under the path
// ($1, $2) on $3 in the tree of $4: at a unit under it that day now, or
// transferred or moved by a merger since (caseOrgOn), so that the index of
// the cases' units serves a small unit instead of every pending deadline
// of the system being placed.
var todoNear = `c.id IN (SELECT y.id FROM cases y WHERE y.org_id IN (SELECT x.id FROM ` + unitsOnDay(4) + ` x WHERE x.path >= $1 AND x.path < $2)
	UNION SELECT t.case_id FROM case_transfers t WHERE t.date > $3 UNION ` + movedCasesAfter("$3") + `)`

// todoFrom joins the deadlines d to their cases c, the unit o each case
// belonged to on $3 in the tree of $4, and the people p.
var todoFrom = ` FROM case_deadlines d JOIN cases c ON c.id = d.case_id JOIN ` + unitsOnDay(4) + ` o ON o.id = ` + caseOrgOn("$3") + `
	JOIN orgs og ON og.id = o.id JOIN people p ON p.id = c.person_id WHERE `

// Todo returns one page of the deadlines matching f, soonest first, and
// how many match.
func (s *Store) Todo(ctx context.Context, f TodoFilter) (_ []domain.TodoRow, _ int, err error) {
	defer wrap(&err, "store.Todo")
	where, args := f.where()
	var total int
	if f.Total != nil {
		total = *f.Total
	} else if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+todoFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	offset := max(f.Offset, 0)
	// A deadline no longer pending shows the case as it stood when the
	// deadline was set (its stage, next action and version then).
	const sel = `SELECT d.case_id, d.kind, d.due, d.extended, d.owner, d.label,
		CASE WHEN d.valid_to IS NULL THEN c.stage ELSE COALESCE(d.stage, c.stage) END,
		CASE WHEN d.valid_to IS NULL THEN c.next_action ELSE COALESCE(d.next_action, c.next_action) END,
		p.full_name, og.code, `
	cols := sel + nameOnAs("og", "$3") + `, CASE WHEN d.valid_to IS NULL THEN c.version ELSE COALESCE(d.case_version, c.version) END`
	const order = ` ORDER BY d.due, p.name_key, d.id`
	if f.OrgID == 0 && len(pathIDs(f.Path)) <= 2 && !f.Sorted {
		// the whole system, a unit at the top or a province: walk the
		// deadlines soonest first (their index) and keep those under the
		// path, rather than gather every pending deadline and sort them
		wide, _ := f.whereNear(false) // the same arguments
		from := strings.Replace(todoFrom, ` JOIN cases c ON c.id = d.case_id JOIN `, ` CROSS JOIN cases c JOIN `, 1)
		out, err := s.walkTodo(ctx, cols+from+`c.id = d.case_id AND `+wide, order, args, offset+limit)
		return pageOf(out, offset, limit), total, err
	}
	args = append(args, limit, offset)
	out, err := s.todoRows(ctx, cols+todoFrom+where+order+` LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args)
	return out, total, err
}

// walkTodo reads the deadlines of query (its conditions, then its order)
// a range of due dates at a time, soonest first, through their index
// (the dates of the next deadlines of the system, four times as many as
// it needs, then twice as many each time), until it has need of them or the deadlines end: a
// small join each time, which every engine plans alike.
func (s *Store) walkTodo(ctx context.Context, query, order string, args []any, need int) ([]domain.TodoRow, error) {
	var out []domain.TodoRow
	var from dateCol
	started := false
	for batch := max(walkSpread*need, walkFirst); len(out) < need; batch = min(2*batch, 32000) {
		after, bound := "", []any{}
		if started {
			after, bound = ` WHERE d.due > $1`, []any{dateArg(from.T)}
		}
		var to dateCol
		err := s.q.QueryRowContext(ctx, `SELECT d.due FROM case_deadlines d`+after+` ORDER BY d.due LIMIT 1 OFFSET `+itoa(batch-1), bound...).Scan(&to)
		last := errors.Is(err, sql.ErrNoRows)
		if err != nil && !last {
			return nil, mapErr(err)
		}
		q, a := query, slices.Clone(args)
		if started {
			a = append(a, dateArg(from.T))
			q += ` AND d.due > $` + itoa(len(a))
		}
		if !last {
			a = append(a, dateArg(to.T))
			q += ` AND d.due <= $` + itoa(len(a)) // the whole of its last day
		}
		rows, err := s.todoRows(ctx, q+order+` LIMIT `+itoa(need-len(out)), a)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if last {
			break
		}
		from, started = to, true
	}
	return out, nil
}

// todoRows reads the rows of a to-do list's query.
func (s *Store) todoRows(ctx context.Context, query string, args []any) ([]domain.TodoRow, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.TodoRow
	for rows.Next() {
		var r domain.TodoRow
		var due, ext dateCol
		if err := rows.Scan(&r.CaseID, &r.Kind, &due, &ext, &r.Owner, &r.Label, &r.Stage, &r.NextAction, &r.FullName,
			&r.OrgCode, &r.OrgName, &r.Version); err != nil {
			return nil, err
		}
		r.Due, r.Extended = due.T, ext.ptr()
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// TodoCounts counts, per deadline kind, the deadlines pending on today
// of the cases open then under path (todoPending, placed as they stood
// that day) that are overdue (before today) and due by until, for the
// dashboard's links to the lists.
func (s *Store) TodoCounts(ctx context.Context, path string, today, until time.Time) (_ map[string][2]int, err error) {
	defer wrap(&err, "store.TodoCounts")
	lo, hi := pathRange(path)
	rows, err := s.q.QueryContext(ctx, `SELECT d.kind, SUM(CASE WHEN d.due < $3 THEN 1 ELSE 0 END), COUNT(*)`+todoFrom+`
		o.path >= $1 AND o.path < $2 AND `+todoPending+` AND `+todoNear+` AND d.due <= $5
		GROUP BY d.kind`, lo, hi, dateArg(today), dateArg(today), dateArg(until))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string][2]int{}
	for rows.Next() {
		var kind string
		var overdue, all int
		if err := rows.Scan(&kind, &overdue, &all); err != nil {
			return nil, err
		}
		out[kind] = [2]int{overdue, all}
	}
	return out, mapErr(rows.Err())
}
