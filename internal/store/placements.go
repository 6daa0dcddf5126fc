package store

import (
	"context"
	"time"
)

// Where a reorganisation's moves leave their trace (placements, migration
// 00019): the people, open cases, residential units and schools a merger
// gave to another unit keep their former unit for the days before the
// plan's date. A read as of an earlier day places each of them with
// placedOn, in the tree of that day (unitsOn), the way a unit's former
// names are read (nameOn).

// Kinds of placements: what moved, and which of its units.
const (
	PlacedPerson        = "person"         // people.org_id
	PlacedCase          = "case"           // cases.org_id (open cases)
	PlacedPlaceCommune  = "place_commune"  // residential_units.commune_id
	PlacedPlaceChapter  = "place_chapter"  // residential_units.chapter_id
	PlacedSchool        = "school"         // schools.org_id
	PlacedSchoolCommune = "school_commune" // schools.commune_id
)

// placedOn is the SQL expression of the unit an item of the kind belonged
// to on the date of placeholder d ("$3"): id is the expression of the
// item's id, col that of its current unit. On a zero date (the current
// state) it is col.
func placedOn(kind, id, col string, on time.Time, d string) string {
	if on.IsZero() {
		return col
	}
	return `COALESCE((SELECT x.org_id FROM placements x WHERE x.kind = '` + kind + `' AND x.item_id = ` + id +
		` AND x.valid_to > ` + d + ` ORDER BY x.valid_to LIMIT 1), ` + col + `)`
}

// nameOnAs is nameOn for the unit of alias a, on the date of placeholder d.
func nameOnAs(a, d string) string {
	return `COALESCE((SELECT n.name FROM org_names n WHERE n.org_id = ` + a + `.id AND n.valid_to > ` + d +
		` ORDER BY n.valid_to LIMIT 1), ` + a + `.name)`
}

// caseOrgOn is the SQL expression of the unit an open case c belonged to
// on the date of placeholder d: the unit it left by the first transfer or
// merger after that day (whichever came first), else its current one.
func caseOrgOn(d string) string {
	return `COALESCE((SELECT e.org_id FROM (SELECT t.from_org_id AS org_id, t.date AS day, 0 AS k, t.id AS n FROM case_transfers t
		WHERE t.case_id = c.id AND t.date > ` + d + ` UNION ALL SELECT x.org_id, x.valid_to, 1, 0 FROM placements x
		WHERE x.kind = '` + PlacedCase + `' AND x.item_id = c.id AND x.valid_to > ` + d + `) e ORDER BY e.day, e.k, e.n LIMIT 1), c.org_id)`
}

// movedCasesAfter selects the ids of the cases a merger moved after the
// date of placeholder d.
func movedCasesAfter(d string) string {
	return `SELECT x.item_id FROM placements x WHERE x.kind = '` + PlacedCase + `' AND x.valid_to > ` + d
}

// metaPlacementsUntil names the meta row holding the latest day a
// placement ends on (MoveHoldings advances it).
const metaPlacementsUntil = "placements_until"

// placedDay is the day to give placedOn for a read as of on: on itself
// when some placement ends after it, else the zero date, so that the
// query joins people, villages and schools on their current unit (an
// indexed join) instead of looking a placement up for every row of the
// table — the country's funnel read every person for one chapter.
func (s *Store) placedDay(ctx context.Context, on time.Time) (time.Time, error) {
	if on.IsZero() {
		return on, nil
	}
	v, err := s.GetMeta(ctx, metaPlacementsUntil)
	if err != nil {
		return on, err
	}
	var until time.Time
	if v != "" {
		if until, err = time.Parse("2006-01-02", v); err != nil {
			return on, nil
		}
	} else {
		// a database whose placements came before the meta row
		var d dateCol
		if err := s.q.QueryRowContext(ctx, `SELECT MAX(valid_to) FROM placements`).Scan(&d); err != nil {
			return on, mapErr(err)
		}
		until = d.T
	}
	if !d0(until).After(d0(on)) {
		return time.Time{}, nil
	}
	return on, nil
}

// d0 is the day of t at midnight UTC.
func d0(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// notePlacementsUntil advances metaPlacementsUntil to d.
func (s *Store) notePlacementsUntil(ctx context.Context, d time.Time) error {
	v, err := s.GetMeta(ctx, metaPlacementsUntil)
	if err != nil {
		return err
	}
	if v != "" && v >= d.Format("2006-01-02") {
		return nil
	}
	return s.SetMeta(ctx, metaPlacementsUntil, d.Format("2006-01-02"))
}
