package store

import (
	"context"
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

// TodoFilter selects the pending deadlines of open cases under Path that
// fall on or before Until (overdue ones included).
type TodoFilter struct {
	Path    string
	OrgID   int64 // exactly this chapter
	Kinds   []string
	Overdue bool // only deadlines before Today
	Today   time.Time
	Until   time.Time
	Limit   int
	Offset  int
}

func (f *TodoFilter) where() (string, []any) {
	lo, hi := pathRange(f.Path)
	conds := []string{"o.path >= $1", "o.path < $2", "c.closed_on IS NULL", "c.paused_on IS NULL"}
	args := []any{lo, hi}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+itoa(len(args))))
	}
	if f.Overdue {
		add("d.due < $?", dateArg(f.Today))
	} else {
		add("d.due <= $?", dateArg(f.Until))
	}
	if f.OrgID != 0 {
		add("c.org_id = $?", f.OrgID)
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

const todoFrom = ` FROM case_deadlines d JOIN cases c ON c.id = d.case_id JOIN orgs o ON o.id = c.org_id
	JOIN people p ON p.id = c.person_id WHERE `

// Todo returns one page of the deadlines matching f, soonest first, and
// how many match.
func (s *Store) Todo(ctx context.Context, f TodoFilter) (_ []domain.TodoRow, _ int, err error) {
	defer wrap(&err, "store.Todo")
	where, args := f.where()
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+todoFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.q.QueryContext(ctx, `SELECT d.case_id, d.kind, d.due, d.extended, d.owner, d.label, c.stage, c.next_action,
		p.full_name, o.code, o.name, c.version`+todoFrom+where+` ORDER BY d.due, p.name_key, d.id LIMIT $`+
		itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var out []domain.TodoRow
	for rows.Next() {
		var r domain.TodoRow
		var due, ext dateCol
		if err := rows.Scan(&r.CaseID, &r.Kind, &due, &ext, &r.Owner, &r.Label, &r.Stage, &r.NextAction, &r.FullName,
			&r.OrgCode, &r.OrgName, &r.Version); err != nil {
			return nil, 0, err
		}
		r.Due, r.Extended = due.T, ext.ptr()
		out = append(out, r)
	}
	return out, total, mapErr(rows.Err())
}

// TodoCounts counts, per deadline kind, the deadlines of open cases under
// path that are overdue (before today) and due by until, for the
// dashboard's links to the lists.
func (s *Store) TodoCounts(ctx context.Context, path string, today, until time.Time) (_ map[string][2]int, err error) {
	defer wrap(&err, "store.TodoCounts")
	lo, hi := pathRange(path)
	rows, err := s.q.QueryContext(ctx, `SELECT d.kind, SUM(CASE WHEN d.due < $3 THEN 1 ELSE 0 END), COUNT(*)
		FROM case_deadlines d JOIN cases c ON c.id = d.case_id JOIN orgs o ON o.id = c.org_id
		WHERE o.path >= $1 AND o.path < $2 AND c.closed_on IS NULL AND c.paused_on IS NULL AND d.due <= $4
		GROUP BY d.kind`, lo, hi, dateArg(today), dateArg(until))
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
