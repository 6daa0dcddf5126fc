package store

import (
	"context"
	"strings"
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

// dims are the dimensions in the order AdmissionCountsAll reads them.
var dims = []string{DimSex, DimEthnicity, DimReligion, DimYouthUnion, DimOccupation, DimEducation, DimAge, DimResidence}

// AdmissionCountsAll is AdmissionCountsBy for every dimension at once, in
// one pass over the admissions of the window (dimension → value →
// organization → count): a breakdowns page reads the year's admissions
// once, not once a dimension.
func (s *Store) AdmissionCountsAll(ctx context.Context, path string, from, to time.Time) (_ map[string]map[string]map[int64]int, err error) {
	return s.AdmissionCountsAllOn(ctx, path, time.Time{}, from, to)
}

// AdmissionCountsAllOn is AdmissionCountsAll under path in the tree of
// day on (unitsOn: the current tree when on is zero).
func (s *Store) AdmissionCountsAllOn(ctx context.Context, path string, on, from, to time.Time) (_ map[string]map[string]map[int64]int, err error) {
	defer wrap(&err, "store.AdmissionCountsAllOn")
	lo, hi := pathRange(path)
	cols := make([]string, len(dims))
	for i, d := range dims {
		cols[i] = dimExpr[d]
	}
	query := `SELECT m.admitted_org_id, ` + strings.Join(cols, ", ") + `, COUNT(*) FROM ` + unitsOn(on, 5) + ` o
		JOIN memberships m ON m.admitted_org_id = o.id AND m.decision_date >= $3 AND m.decision_date <= $4
		JOIN people p ON p.id = m.person_id
		WHERE o.path >= $1 AND o.path < $2
		GROUP BY ` + strings.Join(append([]string{"m.admitted_org_id"}, cols...), ", ")
	rows, err := s.q.QueryContext(ctx, query, lo, hi, dateArg(from), dateArg(to), onArg(on))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := make(map[string]map[string]map[int64]int, len(dims))
	for _, d := range dims {
		out[d] = map[string]map[int64]int{}
	}
	keys := make([]string, len(dims))
	dest := make([]any, 0, len(dims)+2)
	var id int64
	var n int
	dest = append(dest, &id)
	for i := range keys {
		dest = append(dest, &keys[i])
	}
	dest = append(dest, &n)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i, d := range dims {
			byOrg := out[d][keys[i]]
			if byOrg == nil {
				byOrg = map[int64]int{}
				out[d][keys[i]] = byOrg
			}
			byOrg[id] += n
		}
	}
	return out, mapErr(rows.Err())
}

// memberOn is the condition "the person p was a party member on $3" (a
// person becomes a probationary member on the decision): a member now
// who was not admitted after the day, or one whose membership of that day
// ended after it.
const memberOn = `(p.stage IN ('probationary', 'official') AND NOT EXISTS (SELECT 1 FROM memberships m
		WHERE m.person_id = p.id AND m.decision_date > $3)
	OR EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.decision_date <= $3 AND m.end_date > $3))`

// onPathOn is the condition "the person p was a source or a candidate on
// $3": one now, or one admitted after the day who was no member on it.
const onPathOn = `(p.stage IN ('source', 'candidate') OR EXISTS (SELECT 1 FROM memberships m
		WHERE m.person_id = p.id AND m.decision_date > $3) AND NOT EXISTS (SELECT 1 FROM memberships m
		WHERE m.person_id = p.id AND m.decision_date <= $3 AND (m.end_date IS NULL OR m.end_date > $3)))`

// ResidenceMembers lists the residential units of the communes under
// path on asof (each at the commune and chapter it had that day, in that
// day's tree) with their members on that day: read from residence_members
// when counted and it is kept, else counted from the people who live
// there (people_residence index).
func (s *Store) ResidenceMembers(ctx context.Context, path string, asof time.Time, counted bool) (_ []domain.ResidenceRow, err error) {
	defer wrap(&err, "store.ResidenceMembers")
	lo, hi := pathRange(path)
	members := `(SELECT COUNT(*) FROM people p WHERE p.residence_id = r.id AND ` + memberOn + `)`
	if counted {
		if counted, err = s.residenceMembersCounted(ctx); err != nil {
			return nil, err
		}
	}
	args := []any{lo, hi, dateArg(asof), onArg(asof)}
	if counted {
		members = residenceMembersOn
		args = append(args, ymd(asof))
	}
	commune := placedOn(PlacedPlaceCommune, "r.id", "r.commune_id", asof, "$3")
	chapter := placedOn(PlacedPlaceChapter, "r.id", "r.chapter_id", asof, "$3")
	rows, err := s.q.QueryContext(ctx,
		`SELECT r.id, r.code, r.name, r.kind, u.id, COALESCE(`+chapter+`, 0), `+nameOnAs("o", "$3")+`,
		   `+members+`,
		   CASE WHEN ch.id IS NOT NULL AND ch.valid_from <= $3 AND (ch.valid_to IS NULL OR ch.valid_to > $3) THEN 1 ELSE 0 END
		 FROM residential_units r JOIN `+unitsOn(asof, 4)+` u ON u.id = `+commune+` JOIN orgs o ON o.id = u.id
		 LEFT JOIN orgs ch ON ch.id = `+chapter+`
		 WHERE u.path >= $1 AND u.path < $2
		   -- narrowed through the communes' index: at a commune under the path that day, or moved since
		   AND (r.commune_id IN (SELECT x.id FROM `+unitsOn(asof, 4)+` x WHERE x.path >= $1 AND x.path < $2)
		     OR r.id IN (SELECT m.item_id FROM placements m WHERE m.kind = '`+PlacedPlaceCommune+`' AND m.valid_to > $3))
		 ORDER BY u.path, r.name, r.id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.ResidenceRow
	for rows.Next() {
		var r domain.ResidenceRow
		var has int
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.Kind, &r.CommuneID, &r.ChapterID, &r.Commune, &r.Members, &has); err != nil {
			return nil, err
		}
		r.HasChapter = has == 1
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// FunnelRow is a count of the cases open on the as-of date of one
// organization in one stage (as of that date) with the same flags.
type FunnelRow struct {
	OrgID     int64
	Stage     string
	Certified bool // the awareness-class certificate is recorded on the case (dated on or before the date)
	InClass   bool // enrolled in a class (not cancelled) that started on or before the date
	Overdue   bool // one of its deadlines pending on the date fell before it
	Stale     bool // its last step on or before the date is older than the stale date
	N         int
}

// FunnelDates are the dates FunnelCounts works with.
type FunnelDates struct {
	AsOf        time.Time
	StaleBefore time.Time // a last step before it is stale
}

// funnelChanged: a fact of the case is dated after the as-of date ($3),
// so its current stage and case_deadlines rows are not those of the date.
const funnelChanged = `(c.closed_on IS NOT NULL OR c.certificate_date > $3 OR c.dossier_opened > $3
	OR c.decision_date > $3 OR c.decision_received > $3 OR c.ceremony_date > $3 OR c.recognition_date > $3 OR c.paused_on > $3
	OR EXISTS (SELECT 1 FROM case_votes v WHERE v.case_id = c.id AND v.date > $3)
	OR EXISTS (SELECT 1 FROM case_verifications f WHERE f.case_id = c.id AND (f.sent_on > $3 OR f.replied_on > $3))
	OR EXISTS (SELECT 1 FROM case_transfers t WHERE t.case_id = c.id AND t.date > $3))`

// funnelStageAsOf is the stage of the case on the as-of date ($3) derived
// from its dated facts. Probation includes the recognition and strike-off
// votes (the funnel counts them as probation). Approximation: a passed
// sub-committee review counts as "committee voted" when the case has no
// committee vote at all and is not now waiting at the chapter-voted stage
// (the ladder of the date is not stored on the case).
const funnelStageAsOf = `CASE
	WHEN c.ceremony_date <= $3 THEN 'probation'
	WHEN c.decision_date <= $3 THEN 'decided'
	WHEN EXISTS (SELECT 1 FROM case_votes v WHERE v.case_id = c.id AND v.purpose = 'admission' AND v.passed AND v.date <= $3
		AND (v.level = 'committee' OR v.level = 'subcommittee' AND c.stage <> 'chapter_voted'
			AND NOT EXISTS (SELECT 1 FROM case_votes w WHERE w.case_id = c.id AND w.purpose = 'admission' AND w.level = 'committee')))
		THEN 'committee_voted'
	WHEN EXISTS (SELECT 1 FROM case_votes v WHERE v.case_id = c.id AND v.purpose = 'admission' AND v.level = 'chapter' AND v.passed AND v.date <= $3)
		THEN 'chapter_voted'
	WHEN c.dossier_opened <= $3 THEN 'dossier'
	ELSE 'source' END`

// FunnelCounts counts the cases of the organizations under path that are
// open on the as-of date (opened on or before it, not closed on or before
// it), grouped by organization, stage and flags, all as of that date, in
// the tree of that date.
//
// A case with no fact dated after the date counts with its current stage,
// so that today's funnel is exactly the live one. A case changed since
// counts at the organization it belonged to then (before any later
// transfer or merger), with its stage derived from its dated facts
// (funnelStageAsOf). A case is overdue when a deadline pending on the date
// (case_deadlines, as "Việc cần làm" of that day lists them) fell before
// it. A case's last step is the latest of its opening, certificate,
// dossier, votes, decision and ceremony dates on or before the date.
// The counts kept per unit (FunnelTotals) give the same.
func (s *Store) FunnelCounts(ctx context.Context, path string, d FunnelDates) (_ []FunnelRow, err error) {
	defer wrap(&err, "store.FunnelCounts")
	lo, hi := pathRange(path)
	units := unitsOn(d.AsOf, 5) // the tree of the as-of date
	upTo := func(col string) string { return `CASE WHEN ` + col + ` <= $3 THEN ` + isoText(col) + ` END` }
	last := `(SELECT MAX(d) FROM (SELECT ` + upTo("c.opened_on") + ` AS d UNION ALL SELECT ` + upTo("c.certificate_date") +
		` UNION ALL SELECT ` + upTo("c.dossier_opened") + ` UNION ALL SELECT ` + upTo("c.decision_date") +
		` UNION ALL SELECT ` + upTo("c.ceremony_date") + ` UNION ALL SELECT ` + isoText("v.date") +
		` FROM case_votes v WHERE v.case_id = c.id AND v.date <= $3) steps)`
	query := `SELECT org_id, stage, certified, in_class, overdue, stale, COUNT(*) FROM (
		SELECT x.org_id AS org_id, x.stage AS stage,
		  CASE WHEN c.certificate_date <= $3 OR c.certificate_date IS NULL AND c.certificate_id IS NOT NULL THEN 1 ELSE 0 END AS certified,
		  CASE WHEN EXISTS (SELECT 1 FROM class_learners l JOIN classes k ON k.id = l.class_id
		    WHERE l.person_id = c.person_id AND l.status = 'enrolled' AND k.status <> 'cancelled' AND k.start_date <= $3) THEN 1 ELSE 0 END AS in_class,
		  CASE WHEN EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND ` + casePendingOn + `) THEN 1 ELSE 0 END AS overdue,
		  CASE WHEN ` + last + ` < $4 THEN 1 ELSE 0 END AS stale
		FROM (
		  SELECT c.id AS id,
		    CASE WHEN ` + funnelChanged + ` THEN ` + funnelStageAsOf + ` ELSE c.stage END AS stage,
		    ` + caseOrgOn("$3") + ` AS org_id
		  FROM cases c
		  WHERE c.opened_on <= $3 AND (c.closed_on IS NULL OR c.closed_on > $3)
		    AND (c.org_id IN (SELECT o.id FROM ` + units + ` o WHERE o.path >= $1 AND o.path < $2)
		      OR c.id IN (SELECT t.case_id FROM case_transfers t WHERE t.date > $3) OR c.id IN (` + movedCasesAfter("$3") + `))
		) x JOIN cases c ON c.id = x.id JOIN ` + units + ` o ON o.id = x.org_id
		WHERE o.path >= $1 AND o.path < $2) z
		GROUP BY org_id, stage, certified, in_class, overdue, stale`
	rows, err := s.q.QueryContext(ctx, query, lo, hi, dateArg(d.AsOf), dateArg(d.StaleBefore), onArg(d.AsOf))
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

// SourcesWithoutCase counts, per organization under path, the people who
// were sources without an admission case open on the as-of date: people
// at the source stage now with no open case, and people whose case was
// opened after the date from the source stage; in both, no case open on
// the date and in the pool by then (source_pool.since, when recorded).
// Their organization is the one of that day (placedOn), with its path
// that day. For today it is the people at the source stage with no open
// case.
func (s *Store) SourcesWithoutCase(ctx context.Context, path string, asof time.Time) (_ map[int64]int, paths map[int64]string, err error) {
	defer wrap(&err, "store.SourcesWithoutCase")
	lo, hi := pathRange(path)
	// Two indexed halves (the people at the source stage; the cases opened
	// after the date), not one OR over every person of the subtree.
	day, err := s.placedDay(ctx, asof) // $3 stays used below
	if err != nil {
		return nil, nil, err
	}
	placed := placedOn(PlacedPerson, "p.id", "p.org_id", day, "$3")
	rows, err := s.q.QueryContext(ctx, `SELECT org_id, path, COUNT(*) FROM (
		SELECT p.id AS id, `+placed+` AS org_id, o.path AS path FROM people p JOIN `+unitsOn(asof, 4)+` o ON o.id = `+placed+`
		  LEFT JOIN source_pool sp ON sp.person_id = p.id
		  WHERE p.stage = 'source' AND o.path >= $1 AND o.path < $2 AND (sp.since IS NULL OR sp.since <= $3)
		  AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND (c.closed_on IS NULL OR c.opened_on <= $3 AND c.closed_on > $3))
		UNION
		SELECT p.id, `+placed+`, o.path FROM cases c0 JOIN people p ON p.id = c0.person_id JOIN `+unitsOn(asof, 4)+` o ON o.id = `+placed+`
		  LEFT JOIN source_pool sp ON sp.person_id = p.id
		  WHERE c0.opened_on > $3 AND c0.stage_before = 'source' AND o.path >= $1 AND o.path < $2 AND (sp.since IS NULL OR sp.since <= $3)
		  AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.opened_on <= $3 AND (c.closed_on IS NULL OR c.closed_on > $3))
		) u GROUP BY org_id, path`, lo, hi, dateArg(asof), onArg(asof))
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
		out[id], paths[id] = out[id]+n, p
	}
	return out, paths, mapErr(rows.Err())
}
