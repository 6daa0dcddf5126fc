package store

import (
	"context"
	"errors"
	"time"

	"ketnap/internal/domain"
)

// CreateResidentialUnit inserts a village or residential group.
func (s *Store) CreateResidentialUnit(ctx context.Context, u *domain.ResidentialUnit) (err error) {
	defer wrap(&err, "store.CreateResidentialUnit")
	err = s.q.QueryRowContext(ctx,
		`INSERT INTO residential_units (code, name, kind, commune_id, chapter_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		u.Code, u.Name, u.Kind, u.CommuneID, nullInt(u.ChapterID)).Scan(&u.ID)
	err = mapErr(err)
	if errors.Is(err, &ErrDuplicate{}) {
		return domain.FieldError("code", "Mã thôn, buôn, tổ dân phố %q đã được dùng", u.Code)
	}
	return err
}

// ResidentialUnits lists the units of the communes under path, by commune and name.
func (s *Store) ResidentialUnits(ctx context.Context, path string) (_ []domain.ResidentialUnit, err error) {
	return s.ResidentialUnitsOn(ctx, path, time.Time{})
}

// ResidentialUnitsOn lists the units of the communes under path on day on
// (each at the commune and chapter it had that day, in that day's tree;
// the current ones when on is zero), by commune and name.
func (s *Store) ResidentialUnitsOn(ctx context.Context, path string, on time.Time) (_ []domain.ResidentialUnit, err error) {
	defer wrap(&err, "store.ResidentialUnitsOn")
	lo, hi := pathRange(path)
	commune := placedOn(PlacedPlaceCommune, "r.id", "r.commune_id", on, "$3")
	chapter := placedOn(PlacedPlaceChapter, "r.id", "r.chapter_id", on, "$3")
	rows, err := s.q.QueryContext(ctx,
		`SELECT r.id, r.code, r.name, r.kind, o.id, `+chapter+` FROM residential_units r
		 JOIN `+unitsOn(on, 3)+` o ON o.id = `+commune+` WHERE o.path >= $1 AND o.path < $2 ORDER BY o.path, r.name, r.id`, lo, hi, onArg(on))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.ResidentialUnit
	for rows.Next() {
		var u domain.ResidentialUnit
		var ch nullID
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.CommuneID, &ch); err != nil {
			return nil, err
		}
		u.ChapterID = int64(ch)
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateSchool inserts a school.
func (s *Store) CreateSchool(ctx context.Context, sc *domain.School) (err error) {
	defer wrap(&err, "store.CreateSchool")
	err = s.q.QueryRowContext(ctx,
		`INSERT INTO schools (code, name, level, org_id, commune_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		sc.Code, sc.Name, sc.Level, nullInt(sc.OrgID), nullInt(sc.CommuneID)).Scan(&sc.ID)
	err = mapErr(err)
	if errors.Is(err, &ErrDuplicate{}) {
		return domain.FieldError("code", "Mã trường %q đã được dùng", sc.Code)
	}
	return err
}

// SetEnrolment records a school's students in a school year.
func (s *Store) SetEnrolment(ctx context.Context, e domain.Enrolment) (err error) {
	defer wrap(&err, "store.SetEnrolment")
	_, err = s.q.ExecContext(ctx,
		`INSERT INTO school_enrolment (school_id, school_year, students) VALUES ($1, $2, $3)
		 ON CONFLICT (school_id, school_year) DO UPDATE SET students = excluded.students`,
		e.SchoolID, e.SchoolYear, e.Students)
	return mapErr(err)
}

// Schools lists the schools whose chapter or commune lies under path on
// day on (each at the chapter and commune it had that day, in that day's
// tree; the current ones when on is zero), with their enrolment in
// schoolYear.
func (s *Store) Schools(ctx context.Context, path string, schoolYear int, on time.Time) (_ []domain.SchoolRow, err error) {
	defer wrap(&err, "store.Schools(%d)", schoolYear)
	lo, hi := pathRange(path)
	org := placedOn(PlacedSchool, "s.id", "s.org_id", on, "$4")
	commune := placedOn(PlacedSchoolCommune, "s.id", "s.commune_id", on, "$4")
	rows, err := s.q.QueryContext(ctx,
		`SELECT s.id, s.code, s.name, s.level, `+org+`, `+commune+`, COALESCE(e.students, 0)
		 FROM schools s
		 LEFT JOIN `+unitsOn(on, 4)+` o ON o.id = COALESCE(`+org+`, `+commune+`)
		 LEFT JOIN school_enrolment e ON e.school_id = s.id AND e.school_year = $3
		 WHERE o.path >= $1 AND o.path < $2 ORDER BY s.name, s.id`, lo, hi, schoolYear, onArg(on))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.SchoolRow
	for rows.Next() {
		var r domain.SchoolRow
		var org, commune nullID
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.Level, &org, &commune, &r.Students); err != nil {
			return nil, err
		}
		r.OrgID, r.CommuneID = int64(org), int64(commune)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResidentialUnitPath returns the path of the commune a village or
// residential group belongs to (for the scope check of a person's
// residence).
func (s *Store) ResidentialUnitPath(ctx context.Context, id int64) (_ string, err error) {
	defer wrap(&err, "store.ResidentialUnitPath(%d)", id)
	var path string
	err = s.q.QueryRowContext(ctx,
		`SELECT o.path FROM residential_units r JOIN orgs o ON o.id = r.commune_id WHERE r.id = $1`, id).Scan(&path)
	if err != nil {
		return "", notFound(err, "Không tìm thấy thôn, buôn, tổ dân phố số %d", id)
	}
	return path, nil
}
