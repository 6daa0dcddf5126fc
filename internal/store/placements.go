package store

import (
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
