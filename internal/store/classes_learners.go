package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"ketnap/internal/domain"
)

// Learners of a class, their attendance per session, and certificates.

const learnerCols = `l.id, l.class_id, l.person_id, l.enrolled_on, l.status, l.score1, l.score2, l.absent, l.retake_date,
	l.retake1, l.retake2, l.outcome, l.total, l.result_date, l.version,
	COALESCE((SELECT SUM(a.lessons) FROM class_attendance a WHERE a.learner_id = l.id), 0)`

// nullScore scans a nullable integer score.
type nullScore struct{ p **int }

func (n nullScore) Scan(v any) error {
	var x sql.NullInt64
	if err := x.Scan(v); err != nil {
		return err
	}
	*n.p = nil
	if x.Valid {
		i := int(x.Int64)
		*n.p = &i
	}
	return nil
}

func intArg(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func scanLearner(row interface{ Scan(...any) error }, tail ...any) (*domain.Learner, error) {
	var l domain.Learner
	var enrolled, retake, result dateCol
	dest := []any{&l.ID, &l.ClassID, &l.PersonID, &enrolled, &l.Status, nullScore{&l.Score1}, nullScore{&l.Score2}, &l.Absent,
		&retake, nullScore{&l.Retake1}, nullScore{&l.Retake2}, &l.Outcome, &l.Total, &result, &l.Version, &l.Attended}
	if err := row.Scan(append(dest, tail...)...); err != nil {
		return nil, err
	}
	l.EnrolledOn, l.RetakeDate, l.ResultDate = enrolled.T, retake.ptr(), result.ptr()
	return &l, nil
}

// AddLearner enrols a person in a class.
func (s *Store) AddLearner(ctx context.Context, l *domain.Learner) (err error) {
	defer wrap(&err, "store.AddLearner")
	if l.Outcome == "" {
		l.Outcome = domain.OutcomePending
	}
	err = s.q.QueryRowContext(ctx,
		`INSERT INTO class_learners (class_id, person_id, enrolled_on, status, outcome) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		l.ClassID, l.PersonID, dateArg(l.EnrolledOn), l.Status, l.Outcome).Scan(&l.ID)
	if err = mapErr(err); errors.Is(err, &ErrDuplicate{}) {
		return domain.Errorf(domain.EConflict, "Người này đã có tên trong lớp")
	}
	if err != nil {
		return err
	}
	l.Version = 1
	return s.refreshPersonFunnel(ctx, `SELECT id FROM people WHERE id = $1`, l.PersonID)
}

// SaveLearner saves the status, results and derived outcome of l if its
// version is still the stored one (409 otherwise).
func (s *Store) SaveLearner(ctx context.Context, l *domain.Learner) (err error) {
	defer wrap(&err, "store.SaveLearner")
	res, err := s.q.ExecContext(ctx,
		`UPDATE class_learners SET status = $1, score1 = $2, score2 = $3, absent = $4, retake_date = $5, retake1 = $6,
		   retake2 = $7, outcome = $8, total = $9, result_date = $10, version = version + 1
		 WHERE id = $11 AND version = $12`,
		l.Status, intArg(l.Score1), intArg(l.Score2), l.Absent, dateArgPtr(l.RetakeDate), intArg(l.Retake1), intArg(l.Retake2),
		l.Outcome, l.Total, dateArgPtr(l.ResultDate), l.ID, l.Version)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.EConflict, "Kết quả của học viên vừa được người khác sửa. Hãy tải lại trang và nhập lại.")
	}
	l.Version++
	return s.refreshPersonFunnel(ctx, `SELECT person_id FROM class_learners WHERE id = $1`, l.ID)
}

// GetLearner returns the learner with the id and the path of the person's organization.
func (s *Store) GetLearner(ctx context.Context, id int64) (_ *domain.Learner, _ string, err error) {
	defer wrap(&err, "store.GetLearner(%d)", id)
	var path string
	l, err := scanLearner(s.q.QueryRowContext(ctx, `SELECT `+learnerCols+`, o.path FROM class_learners l
		JOIN people p ON p.id = l.person_id JOIN orgs o ON o.id = p.org_id WHERE l.id = $1`, id), &path)
	if err != nil {
		return nil, "", notFound(err, "Không tìm thấy học viên số %d", id)
	}
	return l, path, nil
}

// Learners lists the learners of a class whose people belong under path
// (the user's scope), in Vietnamese name order. A class holds at most a
// few hundred learners (its capacity), so the list is not paged.
func (s *Store) Learners(ctx context.Context, classID int64, path string) (_ []domain.LearnerRow, err error) {
	defer wrap(&err, "store.Learners(%d)", classID)
	lo, hi := pathRange(path)
	rows, err := s.q.QueryContext(ctx, `SELECT `+learnerCols+`, p.full_name, p.name_key, p.birth_date, p.sex, p.stage,
		o.id, o.name, o.path
		FROM class_learners l JOIN people p ON p.id = l.person_id JOIN orgs o ON o.id = p.org_id
		WHERE l.class_id = $1 AND o.path >= $2 AND o.path < $3
		ORDER BY p.name_key, p.id`, classID, lo, hi)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.LearnerRow
	for rows.Next() {
		var r domain.LearnerRow
		var birth dateCol
		l, err := scanLearner(rows, &r.Name, &r.NameKey, &birth, &r.Sex, &r.Stage, &r.OrgID, &r.OrgName, &r.OrgPath)
		if err != nil {
			return nil, err
		}
		r.Learner, r.BirthDate = l, birth.T
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// CountLearners counts the enrolled (not withdrawn) learners of a class.
func (s *Store) CountLearners(ctx context.Context, classID int64) (_ int, err error) {
	defer wrap(&err, "store.CountLearners(%d)", classID)
	var n int
	err = s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM class_learners WHERE class_id = $1 AND status = 'enrolled'`, classID).Scan(&n)
	return n, mapErr(err)
}

// SetAttendance records the lessons a learner attended in a session.
func (s *Store) SetAttendance(ctx context.Context, learnerID, sessionID int64, lessons int) (err error) {
	defer wrap(&err, "store.SetAttendance(%d, %d, %d)", learnerID, sessionID, lessons)
	_, err = s.q.ExecContext(ctx, `INSERT INTO class_attendance (learner_id, session_id, lessons) VALUES ($1, $2, $3)
		ON CONFLICT (learner_id, session_id) DO UPDATE SET lessons = excluded.lessons`, learnerID, sessionID, lessons)
	return mapErr(err)
}

// Attendance returns, per learner id, the lessons attended per session id.
func (s *Store) Attendance(ctx context.Context, classID int64) (_ map[int64]map[int64]int, err error) {
	defer wrap(&err, "store.Attendance(%d)", classID)
	rows, err := s.q.QueryContext(ctx, `SELECT a.learner_id, a.session_id, a.lessons FROM class_attendance a
		JOIN class_sessions x ON x.id = a.session_id WHERE x.class_id = $1`, classID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[int64]map[int64]int{}
	for rows.Next() {
		var l, sess int64
		var n int
		if err := rows.Scan(&l, &sess, &n); err != nil {
			return nil, err
		}
		if out[l] == nil {
			out[l] = map[int64]int{}
		}
		out[l][sess] = n
	}
	return out, mapErr(rows.Err())
}

// RecordedSessions returns the ids of the class's sessions whose
// attendance has been taken.
func (s *Store) RecordedSessions(ctx context.Context, classID int64) (_ map[int64]bool, err error) {
	defer wrap(&err, "store.RecordedSessions(%d)", classID)
	rows, err := s.q.QueryContext(ctx, `SELECT DISTINCT a.session_id FROM class_attendance a
		JOIN class_sessions x ON x.id = a.session_id WHERE x.class_id = $1`, classID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, mapErr(rows.Err())
}

const certCols = `id, learner_id, person_id, class_id, programme, number, issued, valid_until, late_reason`

func scanCert(row interface{ Scan(...any) error }) (*domain.Certificate, error) {
	var c domain.Certificate
	var issued, until dateCol
	if err := row.Scan(&c.ID, &c.EnrolmentID, &c.PersonID, &c.ClassID, &c.Programme, &c.Number, &issued, &until, &c.LateReason); err != nil {
		return nil, err
	}
	c.Issued, c.ValidUntil = issued.T, until.ptr()
	return &c, nil
}

func (s *Store) queryCerts(ctx context.Context, q string, args ...any) ([]*domain.Certificate, error) {
	rows, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.Certificate
	for rows.Next() {
		c, err := scanCert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// CreateCertificate records a certificate; its number must be unused.
func (s *Store) CreateCertificate(ctx context.Context, c *domain.Certificate) (err error) {
	defer wrap(&err, "store.CreateCertificate")
	err = s.q.QueryRowContext(ctx, `INSERT INTO certificates (learner_id, person_id, class_id, programme, number, issued,
		valid_until, late_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		c.EnrolmentID, c.PersonID, c.ClassID, c.Programme, c.Number, dateArg(c.Issued), dateArgPtr(c.ValidUntil),
		c.LateReason).Scan(&c.ID)
	if err = mapErr(err); err != nil {
		if d, ok := errors.AsType[*ErrDuplicate](err); ok {
			if d.On("number") {
				return domain.FieldError("number", "Số giấy chứng nhận %s đã được cấp cho người khác", c.Number)
			}
			return domain.Errorf(domain.EConflict, "Học viên này đã được cấp giấy chứng nhận của lớp")
		}
	}
	return err
}

// CertificatesOfClass lists the certificates issued in a class.
func (s *Store) CertificatesOfClass(ctx context.Context, classID int64) (_ []*domain.Certificate, err error) {
	defer wrap(&err, "store.CertificatesOfClass(%d)", classID)
	return s.queryCerts(ctx, `SELECT `+certCols+` FROM certificates WHERE class_id = $1 ORDER BY number`, classID)
}

// CertificatesOfPerson lists a person's certificates, newest first.
func (s *Store) CertificatesOfPerson(ctx context.Context, personID int64) (_ []*domain.Certificate, err error) {
	defer wrap(&err, "store.CertificatesOfPerson(%d)", personID)
	return s.queryCerts(ctx, `SELECT `+certCols+` FROM certificates WHERE person_id = $1 ORDER BY issued DESC, id DESC`, personID)
}

// GetCertificate returns the certificate with the id.
func (s *Store) GetCertificate(ctx context.Context, id int64) (_ *domain.Certificate, err error) {
	defer wrap(&err, "store.GetCertificate(%d)", id)
	c, err := scanCert(s.q.QueryRowContext(ctx, `SELECT `+certCols+` FROM certificates WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "Không tìm thấy giấy chứng nhận số %d", id)
	}
	return c, nil
}

// ValidCertificateOn returns the person's certificate of the programme
// that is valid on d (the latest issued when several are), or nil.
func (s *Store) ValidCertificateOn(ctx context.Context, personID int64, programme string, d time.Time) (_ *domain.Certificate, err error) {
	defer wrap(&err, "store.ValidCertificateOn(%d, %q)", personID, programme)
	c, err := scanCert(s.q.QueryRowContext(ctx, `SELECT `+certCols+` FROM certificates
		WHERE person_id = $1 AND programme = $2 AND issued <= $3 AND (valid_until IS NULL OR valid_until >= $3)
		ORDER BY issued DESC, id DESC LIMIT 1`, personID, programme, dateArg(d)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, mapErr(err)
}

// MaxCertificateSerial returns the highest serial among the certificate
// numbers "PREFIX-NNNN" with the prefix (0 when none).
func (s *Store) MaxCertificateSerial(ctx context.Context, prefix string) (_ int, err error) {
	defer wrap(&err, "store.MaxCertificateSerial")
	rows, err := s.q.QueryContext(ctx, `SELECT number FROM certificates WHERE number LIKE $1 ESCAPE '\'`, escapeLike(prefix)+"%")
	if err != nil {
		return 0, mapErr(err)
	}
	defer rows.Close()
	best := 0
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
		v := 0
		for _, r := range n[len(prefix):] {
			if r < '0' || r > '9' {
				v = -1
				break
			}
			v = v*10 + int(r-'0')
		}
		best = max(best, v)
	}
	return best, mapErr(rows.Err())
}
