package store

import (
	"context"
	"fmt"
	"time"

	"ketnap/internal/domain"
)

// Dimensions of the breakdowns of the admitted (DOMAIN §7). Each names
// an SQL expression over the person (p) and the membership (m); the
// values are grouped in SQL, never read person by person.
const (
	DimSex        = "sex"
	DimEthnicity  = "ethnicity"
	DimReligion   = "religion"
	DimYouthUnion = "youth_union"
	DimOccupation = "occupation"
	DimEducation  = "education"
	DimAge        = "age"       // whole years at the decision date
	DimResidence  = "residence" // residential unit id, "" when unknown
)

// isoText renders a date column as 'YYYY-MM-DD' text in both engines
// (SQLite keeps TEXT, PostgreSQL casts a DATE in ISO style).
func isoText(col string) string { return "CAST(" + col + " AS TEXT)" }

var dimExpr = map[string]string{
	DimSex:        "p.sex",
	DimEthnicity:  "p.ethnicity",
	DimReligion:   "p.religion",
	DimYouthUnion: "CASE WHEN p.youth_union THEN 'yes' ELSE 'no' END",
	DimOccupation: "p.occupation",
	DimEducation:  "p.education",
	DimAge: "CAST(CAST(SUBSTR(" + isoText("m.decision_date") + ", 1, 4) AS INTEGER) - CAST(SUBSTR(" + isoText("p.birth_date") + ", 1, 4) AS INTEGER)" +
		" - CASE WHEN SUBSTR(" + isoText("m.decision_date") + ", 6, 5) < SUBSTR(" + isoText("p.birth_date") + ", 6, 5) THEN 1 ELSE 0 END AS TEXT)",
	DimResidence: "COALESCE(CAST(p.residence_id AS TEXT), '')",
}

// AdmissionCountsBy is AdmissionCounts split by one dimension of the
// admitted person: per value, per organization under path where the
// decision admitted them, how many decisions are dated in [from, to].
func (s *Store) AdmissionCountsBy(ctx context.Context, path string, from, to time.Time, dim string) (map[string]map[int64]int, error) {
	expr, ok := dimExpr[dim]
	if !ok {
		return nil, fmt.Errorf("store: unknown breakdown dimension %q", dim)
	}
	lo, hi := pathRange(path)
	query := `SELECT m.admitted_org_id, ` + expr + ` AS k, COUNT(*) FROM orgs o
		JOIN memberships m ON m.admitted_org_id = o.id AND m.decision_date >= $3 AND m.decision_date <= $4
		JOIN people p ON p.id = m.person_id
		WHERE o.path >= $1 AND o.path < $2
		GROUP BY m.admitted_org_id, k`
	rows, err := s.q.QueryContext(ctx, query, lo, hi, dateArg(from), dateArg(to))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]map[int64]int{}
	for rows.Next() {
		var id int64
		var k string
		var n int
		if err := rows.Scan(&id, &k, &n); err != nil {
			return nil, err
		}
		if out[k] == nil {
			out[k] = map[int64]int{}
		}
		out[k][id] += n
	}
	return out, mapErr(rows.Err())
}

// ResidenceRow is a village, buôn or residential group with the party
// members who live there now and whether it has a chapter open on the date.
type ResidenceRow struct {
	domain.ResidentialUnit
	Commune    string
	Members    int  // probationary and official members living there (current records)
	HasChapter bool // its own chapter exists and is open on the date
}

// ResidenceMembers lists the residential units of the communes under
// path with their members counted in SQL (people_residence index).
func (s *Store) ResidenceMembers(ctx context.Context, path string, asof time.Time) ([]ResidenceRow, error) {
	lo, hi := pathRange(path)
	rows, err := s.q.QueryContext(ctx,
		`SELECT r.id, r.code, r.name, r.kind, r.commune_id, COALESCE(r.chapter_id, 0), o.name,
		   (SELECT COUNT(*) FROM people p WHERE p.residence_id = r.id AND p.stage IN ('probationary', 'official')),
		   CASE WHEN ch.id IS NOT NULL AND ch.valid_from <= $3 AND (ch.valid_to IS NULL OR ch.valid_to > $3) THEN 1 ELSE 0 END
		 FROM residential_units r JOIN orgs o ON o.id = r.commune_id
		 LEFT JOIN orgs ch ON ch.id = r.chapter_id
		 WHERE o.path >= $1 AND o.path < $2 ORDER BY o.path, r.name, r.id`, lo, hi, dateArg(asof))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []ResidenceRow
	for rows.Next() {
		var r ResidenceRow
		var has int
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.Kind, &r.CommuneID, &r.ChapterID, &r.Commune, &r.Members, &has); err != nil {
			return nil, err
		}
		r.HasChapter = has == 1
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// FunnelRow is a count of open cases of one organization in one stage
// with the same flags.
type FunnelRow struct {
	OrgID     int64
	Stage     string
	Certified bool // the awareness-class certificate is recorded on the case
	InClass   bool // enrolled in a class (not cancelled) that started on or before the date
	Overdue   bool // one of its pending deadlines fell before the date
	Stale     bool // its last recorded step is older than the stale date
	N         int
}

// FunnelCounts counts the open cases of the organizations under path
// opened on or before asof, grouped by organization, stage and flags. A
// case's last step is the latest of its opening, certificate, dossier,
// votes, decision and ceremony dates.
func (s *Store) FunnelCounts(ctx context.Context, path string, asof, staleBefore time.Time) ([]FunnelRow, error) {
	lo, hi := pathRange(path)
	last := `(SELECT MAX(d) FROM (SELECT ` + isoText("c.opened_on") + ` AS d UNION ALL SELECT ` + isoText("c.certificate_date") +
		` UNION ALL SELECT ` + isoText("c.dossier_opened") + ` UNION ALL SELECT ` + isoText("c.decision_date") +
		` UNION ALL SELECT ` + isoText("c.ceremony_date") + ` UNION ALL SELECT ` + isoText("v.date") +
		` FROM case_votes v WHERE v.case_id = c.id) steps)`
	query := `SELECT org_id, stage, certified, in_class, overdue, stale, COUNT(*) FROM (
		SELECT c.org_id AS org_id, c.stage AS stage,
		  CASE WHEN c.certificate_date IS NOT NULL OR c.certificate_id IS NOT NULL THEN 1 ELSE 0 END AS certified,
		  CASE WHEN EXISTS (SELECT 1 FROM class_learners l JOIN classes k ON k.id = l.class_id
		    WHERE l.person_id = c.person_id AND l.status = 'enrolled' AND k.status <> 'cancelled' AND k.start_date <= $3) THEN 1 ELSE 0 END AS in_class,
		  CASE WHEN EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.due < $3) THEN 1 ELSE 0 END AS overdue,
		  CASE WHEN ` + last + ` < $4 THEN 1 ELSE 0 END AS stale
		FROM cases c JOIN orgs o ON o.id = c.org_id
		WHERE o.path >= $1 AND o.path < $2 AND c.closed_on IS NULL AND c.opened_on <= $3) x
		GROUP BY org_id, stage, certified, in_class, overdue, stale`
	rows, err := s.q.QueryContext(ctx, query, lo, hi, dateArg(asof), dateArg(staleBefore))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []FunnelRow
	for rows.Next() {
		var r FunnelRow
		var cert, in, over, stale int
		if err := rows.Scan(&r.OrgID, &r.Stage, &cert, &in, &over, &stale, &r.N); err != nil {
			return nil, err
		}
		r.Certified, r.InClass, r.Overdue, r.Stale = cert == 1, in == 1, over == 1, stale == 1
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// SourcesWithoutCase counts, per organization under path, the people at
// the source stage with no open admission case (recorded in the pool
// before any case was opened for them).
func (s *Store) SourcesWithoutCase(ctx context.Context, path string) (map[int64]int, error) {
	lo, hi := pathRange(path)
	rows, err := s.q.QueryContext(ctx, `SELECT p.org_id, COUNT(*) FROM people p JOIN orgs o ON o.id = p.org_id
		WHERE o.path >= $1 AND o.path < $2 AND p.stage = 'source'
		AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.closed_on IS NULL)
		GROUP BY p.org_id`, lo, hi)
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
