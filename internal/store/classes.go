package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"ketnap/internal/domain"
)

// Training classes: the class, the units it serves and its sessions.
// Learners, attendance and certificates are in classes_learners.go, the
// counts and lists of the reports in classes_report.go.

const classCols = `c.id, c.code, c.name, c.programme, c.org_id, c.organiser, c.place, c.lecturers, c.start_date, c.end_date,
	c.exam_date, c.capacity, c.status, c.opened_on, c.open_override, c.completion_no, c.completion_date, c.version`

func scanClass(row interface{ Scan(...any) error }) (*domain.Class, error) {
	var c domain.Class
	var start, end, exam, opened, completed dateCol
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.Programme, &c.OrgID, &c.Organiser, &c.Place, &c.Lecturers, &start, &end,
		&exam, &c.Capacity, &c.Status, &opened, &c.OpenOverride, &c.CompletionNo, &completed, &c.Version)
	if err != nil {
		return nil, err
	}
	c.StartDate, c.EndDate, c.ExamDate, c.OpenedOn, c.CompletionDate = start.T, end.T, exam.ptr(), opened.ptr(), completed.ptr()
	return &c, nil
}

// CreateClass inserts c with its served units and sessions.
func (s *Store) CreateClass(ctx context.Context, c *domain.Class, sessions []domain.Session, now time.Time) (err error) {
	defer wrap(&err, "store.CreateClass(%q)", c.Code)
	return s.Tx(ctx, func(tx *Store) error {
		err := tx.q.QueryRowContext(ctx,
			`INSERT INTO classes (code, name, programme, org_id, organiser, place, lecturers, start_date, end_date, exam_date,
			   capacity, status, opened_on, open_override, completion_no, completion_date, created_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
			c.Code, c.Name, c.Programme, c.OrgID, c.Organiser, c.Place, c.Lecturers, dateArg(c.StartDate), dateArg(c.EndDate),
			dateArgPtr(c.ExamDate), c.Capacity, c.Status, dateArgPtr(c.OpenedOn), c.OpenOverride, c.CompletionNo,
			dateArgPtr(c.CompletionDate), now.UTC()).Scan(&c.ID)
		if err != nil {
			if err = mapErr(err); errors.Is(err, &ErrDuplicate{}) {
				return domain.FieldError("code", "Mã lớp %q đã được dùng cho một lớp khác", c.Code)
			}
			return err
		}
		c.Version = 1
		if err := tx.setClassUnits(ctx, c.ID, c.UnitIDs); err != nil {
			return err
		}
		return tx.ReplaceSessions(ctx, c.ID, sessions)
	})
}

func (s *Store) setClassUnits(ctx context.Context, classID int64, units []int64) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM class_units WHERE class_id = $1`, classID); err != nil {
		return mapErr(err)
	}
	for _, u := range units {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO class_units (class_id, org_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, classID, u); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// UpdateClass saves c (and its served units) if its version is still the
// stored one; otherwise someone else changed it first (409).
func (s *Store) UpdateClass(ctx context.Context, c *domain.Class) (err error) {
	defer wrap(&err, "store.UpdateClass(%d)", c.ID)
	return s.Tx(ctx, func(tx *Store) error {
		res, err := tx.q.ExecContext(ctx,
			`UPDATE classes SET name = $1, organiser = $2, place = $3, lecturers = $4, start_date = $5, end_date = $6,
			   exam_date = $7, capacity = $8, status = $9, opened_on = $10, open_override = $11, completion_no = $12,
			   completion_date = $13, version = version + 1
			 WHERE id = $14 AND version = $15`,
			c.Name, c.Organiser, c.Place, c.Lecturers, dateArg(c.StartDate), dateArg(c.EndDate), dateArgPtr(c.ExamDate),
			c.Capacity, c.Status, dateArgPtr(c.OpenedOn), c.OpenOverride, c.CompletionNo, dateArgPtr(c.CompletionDate),
			c.ID, c.Version)
		if err != nil {
			return mapErr(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Errorf(domain.EConflict, "Lớp %s vừa được người khác sửa. Hãy tải lại trang và nhập lại thay đổi.", c.Code)
		}
		c.Version++
		if err := tx.setClassUnits(ctx, c.ID, c.UnitIDs); err != nil {
			return err
		}
		return tx.refreshPersonFunnel(ctx, `SELECT person_id FROM class_learners WHERE class_id = $1`, c.ID)
	})
}

// GetClass returns the class with the id, its served units and the path
// of the organization that owns it.
func (s *Store) GetClass(ctx context.Context, id int64) (_ *domain.Class, _ string, err error) {
	defer wrap(&err, "store.GetClass(%d)", id)
	row := s.q.QueryRowContext(ctx, `SELECT `+classCols+`, o.path FROM classes c JOIN orgs o ON o.id = c.org_id WHERE c.id = $1`, id)
	var path string
	c, err := scanClass(scanTail{row, &path})
	if err != nil {
		return nil, "", notFound(err, "Không tìm thấy lớp số %d", id)
	}
	if c.UnitIDs, err = s.classUnits(ctx, c.ID); err != nil {
		return nil, "", err
	}
	return c, path, nil
}

// ClassIDByCode returns the id of the class with the code.
func (s *Store) ClassIDByCode(ctx context.Context, code string) (_ int64, err error) {
	defer wrap(&err, "store.ClassIDByCode(%q)", code)
	var id int64
	err = s.q.QueryRowContext(ctx, `SELECT id FROM classes WHERE code = $1`, code).Scan(&id)
	return id, notFound(err, "Không tìm thấy lớp %s", code)
}

func (s *Store) classUnits(ctx context.Context, classID int64) ([]int64, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT org_id FROM class_units WHERE class_id = $1 ORDER BY org_id`, classID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, mapErr(rows.Err())
}

// ClassFilter selects classes for a list. A class is in scope when the
// organization that owns it is under Path, or when it serves an
// organization under Path or one of Ancestors (the units above the
// user's own, whose classes the user's people attend).
type ClassFilter struct {
	Path      string
	Ancestors []int64
	Programme string
	Status    string
	From, To  time.Time // start date within [From, To] when set
	// KnownBy, when set, keeps the classes recorded by that day (the list
	// as it stood on an earlier day than today: the demo's date).
	KnownBy time.Time
	Query   string // code or folded name
	Limit   int
	Offset  int
}

func (f *ClassFilter) where() (string, []any) {
	lo, hi := pathRange(f.Path)
	args := []any{lo, hi}
	inScope := `(o.path >= $1 AND o.path < $2 OR EXISTS (SELECT 1 FROM class_units cu JOIN orgs u ON u.id = cu.org_id
		WHERE cu.class_id = c.id AND (u.path >= $1 AND u.path < $2`
	if len(f.Ancestors) > 0 {
		inScope += ` OR u.id IN (` + placeholders(3, len(f.Ancestors)) + `)`
		for _, id := range f.Ancestors {
			args = append(args, id)
		}
	}
	conds := []string{inScope + `)))`}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+itoa(len(args))))
	}
	if f.Programme != "" {
		add("c.programme = $?", f.Programme)
	}
	if f.Status != "" {
		add("c.status = $?", f.Status)
	}
	if !f.From.IsZero() {
		add("c.start_date >= $?", dateArg(f.From))
	}
	if !f.To.IsZero() {
		add("c.start_date <= $?", dateArg(f.To))
	}
	if !f.KnownBy.IsZero() {
		add("c.created_at < $?", f.KnownBy.AddDate(0, 0, 1).UTC())
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+escapeLike(strings.ToLower(q))+"%")
		n := itoa(len(args))
		conds = append(conds, `(LOWER(c.code) LIKE $`+n+` ESCAPE '\' OR LOWER(c.name) LIKE $`+n+` ESCAPE '\')`)
	}
	return strings.Join(conds, " AND "), args
}

// ListClasses returns one page of the classes matching f, newest first,
// with their learner counts, and the total that match.
func (s *Store) ListClasses(ctx context.Context, f ClassFilter) (_ []domain.ClassRow, _ int, err error) {
	defer wrap(&err, "store.ListClasses")
	where, args := f.where()
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM classes c JOIN orgs o ON o.id = c.org_id WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.q.QueryContext(ctx, `SELECT `+classCols+`,
		(SELECT COUNT(*) FROM class_learners l WHERE l.class_id = c.id AND l.status = 'enrolled')
		FROM classes c JOIN orgs o ON o.id = c.org_id WHERE `+where+`
		ORDER BY c.start_date DESC, c.id DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	defer rows.Close()
	var out []domain.ClassRow
	for rows.Next() {
		var n int
		c, err := scanClass(scanTail2{rows, &n})
		if err != nil {
			return nil, 0, err
		}
		out = append(out, domain.ClassRow{Class: c, Learners: n})
	}
	return out, total, mapErr(rows.Err())
}

// scanTail2 appends an integer destination to a row scan.
type scanTail2 struct {
	row  interface{ Scan(...any) error }
	tail *int
}

func (t scanTail2) Scan(dest ...any) error { return t.row.Scan(append(dest, t.tail)...) }

// ReplaceSessions sets the sessions of a class. Sessions that keep their
// id (matched by date) keep their attendance; the others are removed with
// theirs.
func (s *Store) ReplaceSessions(ctx context.Context, classID int64, sessions []domain.Session) (err error) {
	defer wrap(&err, "store.ReplaceSessions(%d)", classID)
	old, err := s.Sessions(ctx, classID)
	if err != nil {
		return err
	}
	keep := map[string]domain.Session{}
	for _, x := range sessions {
		keep[dateArg(x.Date)] = x
	}
	for _, o := range old {
		if x, ok := keep[dateArg(o.Date)]; ok {
			if _, err := s.q.ExecContext(ctx, `UPDATE class_sessions SET lessons = $1, topic = $2 WHERE id = $3`, x.Lessons, x.Topic, o.ID); err != nil {
				return mapErr(err)
			}
			delete(keep, dateArg(o.Date))
			continue
		}
		if _, err := s.q.ExecContext(ctx, `DELETE FROM class_attendance WHERE session_id = $1`, o.ID); err != nil {
			return mapErr(err)
		}
		if _, err := s.q.ExecContext(ctx, `DELETE FROM class_sessions WHERE id = $1`, o.ID); err != nil {
			return mapErr(err)
		}
	}
	for _, x := range sessions {
		if _, ok := keep[dateArg(x.Date)]; !ok {
			continue
		}
		if _, err := s.q.ExecContext(ctx, `INSERT INTO class_sessions (class_id, date, lessons, topic) VALUES ($1, $2, $3, $4)`,
			classID, dateArg(x.Date), x.Lessons, x.Topic); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// Sessions lists a class's sessions by date.
func (s *Store) Sessions(ctx context.Context, classID int64) (_ []domain.Session, err error) {
	defer wrap(&err, "store.Sessions(%d)", classID)
	rows, err := s.q.QueryContext(ctx, `SELECT id, class_id, date, lessons, topic FROM class_sessions WHERE class_id = $1 ORDER BY date, id`, classID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.Session
	for rows.Next() {
		var x domain.Session
		var d dateCol
		if err := rows.Scan(&x.ID, &x.ClassID, &d, &x.Lessons, &x.Topic); err != nil {
			return nil, err
		}
		x.Date = d.T
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

// OverlappingClass returns the code of a class other than classID,
// neither cancelled nor left by the person, whose period shares a day with
// [start, end] and in which the person is enrolled; "" when there is none.
func (s *Store) OverlappingClass(ctx context.Context, personID, classID int64, start, end time.Time) (_ string, err error) {
	defer wrap(&err, "store.OverlappingClass(%d, %d)", personID, classID)
	var code string
	err = s.q.QueryRowContext(ctx, `SELECT c.code FROM class_learners l JOIN classes c ON c.id = l.class_id
		WHERE l.person_id = $1 AND l.status = 'enrolled' AND c.id <> $2 AND c.status <> 'cancelled'
		  AND c.start_date <= $4 AND c.end_date >= $3
		ORDER BY c.start_date LIMIT 1`, personID, classID, dateArg(start), dateArg(end)).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return code, mapErr(err)
}
