package store

import (
	"context"
	"time"

	"ketnap/internal/domain"
)

const membershipCols = `id, person_id, decision_no, decision_date, decided_by_id, admitted_org_id, ceremony_date,
	recognition_date, status, end_date`

func scanMembership(row interface{ Scan(...any) error }) (*domain.Membership, error) {
	var m domain.Membership
	var dec, cer, rec, end dateCol
	var by nullID
	if err := row.Scan(&m.ID, &m.PersonID, &m.DecisionNo, &dec, &by, &m.AdmittedOrgID, &cer, &rec, &m.Status, &end); err != nil {
		return nil, err
	}
	m.DecisionDate, m.DecidedByID = dec.T, int64(by)
	m.CeremonyDate, m.RecognitionDate, m.EndDate = cer.ptr(), rec.ptr(), end.ptr()
	return &m, nil
}

// CreateMembership records an admission decision and what followed it.
func (s *Store) CreateMembership(ctx context.Context, m *domain.Membership) (err error) {
	defer wrap(&err, "store.CreateMembership")
	err = s.q.QueryRowContext(ctx,
		`INSERT INTO memberships (person_id, decision_no, decision_date, decided_by_id, admitted_org_id, ceremony_date,
		   recognition_date, status, end_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		m.PersonID, m.DecisionNo, dateArg(m.DecisionDate), nullInt(m.DecidedByID), m.AdmittedOrgID,
		dateArgPtr(m.CeremonyDate), dateArgPtr(m.RecognitionDate), m.Status, dateArgPtr(m.EndDate)).Scan(&m.ID)
	return mapErr(err)
}

// UpdateMembership saves every field of m.
func (s *Store) UpdateMembership(ctx context.Context, m *domain.Membership) (err error) {
	defer wrap(&err, "store.UpdateMembership")
	_, err = s.q.ExecContext(ctx,
		`UPDATE memberships SET decision_no = $1, decision_date = $2, decided_by_id = $3, admitted_org_id = $4,
		   ceremony_date = $5, recognition_date = $6, status = $7, end_date = $8 WHERE id = $9`,
		m.DecisionNo, dateArg(m.DecisionDate), nullInt(m.DecidedByID), m.AdmittedOrgID,
		dateArgPtr(m.CeremonyDate), dateArgPtr(m.RecognitionDate), m.Status, dateArgPtr(m.EndDate), m.ID)
	return mapErr(err)
}

// Memberships lists a person's memberships, oldest first.
func (s *Store) Memberships(ctx context.Context, personID int64) (_ []*domain.Membership, err error) {
	defer wrap(&err, "store.Memberships(%d)", personID)
	rows, err := s.q.QueryContext(ctx, `SELECT `+membershipCols+` FROM memberships WHERE person_id = $1 ORDER BY decision_date, id`, personID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.Membership
	for rows.Next() {
		m, err := scanMembership(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// AdmissionCounts returns, per organization under path (whatever its
// validity), how many admission decisions are dated in [from, to]. It
// reads the covering indexes on memberships and the organizations'
// paths, never the people: its cost follows the admissions in the window
// and the size of the subtree.
func (s *Store) AdmissionCounts(ctx context.Context, path string, from, to time.Time) (_ map[int64]int, err error) {
	defer wrap(&err, "store.AdmissionCounts")
	lo, hi := pathRange(path)
	var query string
	if path == "/" {
		query = `SELECT m.admitted_org_id, COUNT(*) FROM memberships m
			WHERE m.decision_date >= $3 AND m.decision_date <= $4 AND $1 <> $2
			GROUP BY m.admitted_org_id`
	} else {
		query = `SELECT m.admitted_org_id, COUNT(*) FROM orgs o
			JOIN memberships m ON m.admitted_org_id = o.id AND m.decision_date >= $3 AND m.decision_date <= $4
			WHERE o.path >= $1 AND o.path < $2
			GROUP BY m.admitted_org_id`
	}
	rows, err := s.q.QueryContext(ctx, query, lo, hi, dateArg(from), dateArg(to))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, mapErr(rows.Err())
}
