package store

import (
	"context"
	"strings"
	"time"

	"ketnap/internal/domain"
)

const membershipCols = `id, person_id, decision_no, decision_date, decided_by_id, admitted_org_id, ceremony_date,
	recognition_date, status, end_date, origin`

func scanMembership(row interface{ Scan(...any) error }) (*domain.Membership, error) {
	var m domain.Membership
	var dec, cer, rec, end dateCol
	var by nullID
	if err := row.Scan(&m.ID, &m.PersonID, &m.DecisionNo, &dec, &by, &m.AdmittedOrgID, &cer, &rec, &m.Status, &end, &m.Origin); err != nil {
		return nil, err
	}
	m.DecisionDate, m.DecidedByID = dec.T, int64(by)
	m.CeremonyDate, m.RecognitionDate, m.EndDate = cer.ptr(), rec.ptr(), end.ptr()
	return &m, nil
}

// CreateMembership records an admission decision and what followed it,
// with its origin (domain.OriginPaper when m.Origin is empty: only the
// decision step of a case writes domain.OriginCase), and counts it
// (admission_counts) in the same transaction.
func (s *Store) CreateMembership(ctx context.Context, m *domain.Membership) (err error) {
	defer wrap(&err, "store.CreateMembership(%d)", m.PersonID)
	if m.Origin == "" {
		m.Origin = domain.OriginPaper
	}
	return s.Tx(ctx, func(tx *Store) error {
		err := tx.q.QueryRowContext(ctx,
			`INSERT INTO memberships (person_id, decision_no, decision_date, decided_by_id, admitted_org_id, ceremony_date,
			   recognition_date, status, end_date, origin) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			m.PersonID, m.DecisionNo, dateArg(m.DecisionDate), nullInt(m.DecidedByID), m.AdmittedOrgID,
			dateArgPtr(m.CeremonyDate), dateArgPtr(m.RecognitionDate), m.Status, dateArgPtr(m.EndDate), m.Origin).Scan(&m.ID)
		if err != nil {
			return mapErr(err)
		}
		if err := tx.refreshResidents(ctx, []int64{m.PersonID}); err != nil {
			return err
		}
		return tx.admissionCounted(ctx, m.AdmittedOrgID, m.DecisionDate, 1, recordedOrigin(m.Origin))
	})
}

// recordedOrigin is 1 for an admission recorded rather than reached
// through a case, as admission_counts counts it.
func recordedOrigin(origin string) int {
	if origin != domain.OriginCase {
		return 1
	}
	return 0
}

// UpdateMembership saves every field of m but its origin; a change of the
// admitted unit or of the decision date moves the admission's count in
// the same transaction.
func (s *Store) UpdateMembership(ctx context.Context, m *domain.Membership) (err error) {
	defer wrap(&err, "store.UpdateMembership")
	return s.Tx(ctx, func(tx *Store) error {
		var org int64
		var day dateCol
		var origin string
		if err := tx.q.QueryRowContext(ctx, `SELECT admitted_org_id, decision_date, origin FROM memberships WHERE id = $1`, m.ID).
			Scan(&org, &day, &origin); err != nil {
			return notFound(err, "Không tìm thấy quyết định kết nạp số %d", m.ID)
		}
		_, err := tx.q.ExecContext(ctx,
			`UPDATE memberships SET decision_no = $1, decision_date = $2, decided_by_id = $3, admitted_org_id = $4,
			   ceremony_date = $5, recognition_date = $6, status = $7, end_date = $8 WHERE id = $9`,
			m.DecisionNo, dateArg(m.DecisionDate), nullInt(m.DecidedByID), m.AdmittedOrgID,
			dateArgPtr(m.CeremonyDate), dateArgPtr(m.RecognitionDate), m.Status, dateArgPtr(m.EndDate), m.ID)
		if err != nil {
			return mapErr(err)
		}
		if err := tx.refreshResidents(ctx, []int64{m.PersonID}); err != nil {
			return err
		}
		if org == m.AdmittedOrgID && day.T.Equal(m.DecisionDate) {
			return nil
		}
		rec := recordedOrigin(origin)
		if err := tx.admissionCounted(ctx, org, day.T, -1, -rec); err != nil {
			return err
		}
		return tx.admissionCounted(ctx, m.AdmittedOrgID, m.DecisionDate, 1, rec)
	})
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
// validity), how many admission decisions are dated in [from, to], and
// how many of those were recorded rather than reached through a case
// (origin <> 'case'; organizations with none are absent from recorded).
// It reads the covering indexes on memberships and the organizations'
// paths, never the people: its cost follows the admissions in the window
// and the size of the subtree.
func (s *Store) AdmissionCounts(ctx context.Context, path string, from, to time.Time) (counts, recorded map[int64]int, err error) {
	return s.AdmissionCountsOn(ctx, path, time.Time{}, from, to)
}

// AdmissionCountsOn is AdmissionCounts under path in the tree of day on
// (unitsOn: the current tree when on is zero).
func (s *Store) AdmissionCountsOn(ctx context.Context, path string, on, from, to time.Time) (counts, recorded map[int64]int, err error) {
	defer wrap(&err, "store.AdmissionCountsOn")
	lo, hi := pathRange(path)
	const cols = `m.admitted_org_id, COUNT(*), SUM(CASE WHEN m.origin <> 'case' THEN 1 ELSE 0 END)`
	var query string
	if path == "/" {
		query = `SELECT ` + cols + ` FROM memberships m
			WHERE m.decision_date >= $3 AND m.decision_date <= $4 AND $1 <> $2 AND $5 = $5
			GROUP BY m.admitted_org_id`
	} else {
		query = `SELECT ` + cols + ` FROM ` + unitsOn(on, 5) + ` o
			JOIN memberships m ON m.admitted_org_id = o.id AND m.decision_date >= $3 AND m.decision_date <= $4
			WHERE o.path >= $1 AND o.path < $2
			GROUP BY m.admitted_org_id`
	}
	rows, err := s.q.QueryContext(ctx, query, lo, hi, dateArg(from), dateArg(to), onArg(on))
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer rows.Close()
	counts, recorded = map[int64]int{}, map[int64]int{}
	for rows.Next() {
		var id int64
		var n, r int
		if err := rows.Scan(&id, &n, &r); err != nil {
			return nil, nil, err
		}
		counts[id] = n
		if r > 0 {
			recorded[id] = r
		}
	}
	return counts, recorded, mapErr(rows.Err())
}

// pipelineCases selects the ids of the cases past the chapter vote and
// not decided on the as-of date ($3), or a few more (PipelineCounts
// judges each on its dated facts; an id may come twice). Disjoint from
// the history, on partial indexes that follow the pipeline: the open
// undecided cases past the source and dossier stages (cases_pipeline; a
// case at those stages has no passed chapter vote) of the subtree, and
// those transferred after the date (they counted elsewhere then); the
// cases decided after the date (cases_decision_date); the undecided ones
// closed after it (cases_closed_undecided), of the subtree now (those
// transferred since come through the transfers). Each half is its own
// SELECT: an OR inside one would keep the planner off the partial index;
// the unary plus keeps it on the dates there rather than on every case
// of the subtree's units (the same SQL on both engines).
const pipelineCases = `SELECT c.id FROM cases c WHERE c.closed_on IS NULL AND c.decision_date IS NULL AND c.stage NOT IN ('source', 'dossier')
		AND c.org_id IN (SELECT o.id FROM UNITS o WHERE o.path >= $1 AND o.path < $2)
	UNION ALL SELECT t.case_id FROM case_transfers t WHERE t.date > $3
	UNION ALL SELECT x.item_id FROM placements x WHERE x.kind = 'case' AND x.valid_to > $3
	UNION ALL SELECT c.id FROM cases c WHERE c.decision_date > $3 AND (c.closed_on IS NULL OR c.closed_on > $3)
		AND +c.org_id IN (SELECT o.id FROM UNITS o WHERE o.path >= $1 AND o.path < $2)
	UNION ALL SELECT c.id FROM cases c WHERE c.closed_on > $3 AND c.decision_date IS NULL
		AND +c.org_id IN (SELECT o.id FROM UNITS o WHERE o.path >= $1 AND o.path < $2)`

// PipelineCounts counts, per organization under path, the cases past the
// chapter vote and not yet decided on the as-of date (pipelineCases), at
// the organization the case belonged to then (before any later
// transfer). The projection of progress adds them (DOMAIN §4).
func (s *Store) PipelineCounts(ctx context.Context, path string, asof time.Time) (_ map[int64]int, err error) {
	return s.PipelineCountsOn(ctx, path, time.Time{}, asof)
}

// PipelineCountsOn is PipelineCounts under path in the tree of day on
// (unitsOn: the current tree when on is zero).
func (s *Store) PipelineCountsOn(ctx context.Context, path string, on, asof time.Time) (_ map[int64]int, err error) {
	defer wrap(&err, "store.PipelineCountsOn")
	out, _, err := s.pipelineCounts(ctx, path, on, asof)
	return out, err
}

func (s *Store) pipelineCounts(ctx context.Context, path string, on, asof time.Time) (map[int64]int, map[int64]string, error) {
	lo, hi := pathRange(path)
	units := unitsOn(on, 4)
	query := `SELECT o.id, o.path, COUNT(*) FROM (
		SELECT ` + caseOrgOn("$3") + ` AS org_id
		FROM cases c
		WHERE c.id IN (` + strings.ReplaceAll(pipelineCases, "UNITS", units) + `)
		  AND c.opened_on <= $3 AND (c.closed_on IS NULL OR c.closed_on > $3) AND (c.decision_date IS NULL OR c.decision_date > $3)
		  AND EXISTS (SELECT 1 FROM case_votes v WHERE v.case_id = c.id AND v.purpose = 'admission' AND v.level = 'chapter' AND v.passed AND v.date <= $3)
		  AND NOT EXISTS (SELECT 1 FROM case_votes v WHERE v.case_id = c.id AND v.purpose = 'admission' AND NOT v.passed AND v.date <= $3)
		) x JOIN ` + units + ` o ON o.id = x.org_id
		WHERE o.path >= $1 AND o.path < $2
		GROUP BY o.id, o.path`
	rows, err := s.q.QueryContext(ctx, query, lo, hi, dateArg(asof), onArg(on))
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer rows.Close()
	out, paths := map[int64]int{}, map[int64]string{}
	for rows.Next() {
		var id int64
		var p string
		var n int
		if err := rows.Scan(&id, &p, &n); err != nil {
			return nil, nil, err
		}
		out[id] += n
		paths[id] = p
	}
	return out, paths, mapErr(rows.Err())
}

// LatestMemberships returns the latest membership (by decision date) of
// each of the people, 500 a query; a person without one is absent.
func (s *Store) LatestMemberships(ctx context.Context, personIDs []int64) (_ map[int64]*domain.Membership, err error) {
	defer wrap(&err, "store.LatestMemberships(%d)", len(personIDs))
	out := make(map[int64]*domain.Membership, len(personIDs))
	for len(personIDs) > 0 {
		n := min(len(personIDs), 500)
		args := make([]any, n)
		for i, id := range personIDs[:n] {
			args[i] = id
		}
		rows, err := s.q.QueryContext(ctx, `SELECT `+membershipCols+` FROM memberships WHERE person_id IN (`+placeholders(1, n)+`)
			ORDER BY person_id, decision_date, id`, args...)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			m, err := scanMembership(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[m.PersonID] = m
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		rows.Close()
		personIDs = personIDs[n:]
	}
	return out, nil
}
