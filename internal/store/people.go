package store

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

const personCols = `p.id, p.full_name, p.name_fold, p.name_key, p.birth_date, p.sex, p.ethnicity, p.religion, p.cccd,
	p.education, p.occupation, p.residence_id, p.workplace, p.youth_union, p.trade_union, p.org_id, p.stage, p.version`

func scanPerson(row interface{ Scan(...any) error }) (*domain.Person, error) {
	var p domain.Person
	var birth dateCol
	var cccd nullText
	var res nullID
	err := row.Scan(&p.ID, &p.FullName, &p.NameFold, &p.NameKey, &birth, &p.Sex, &p.Ethnicity, &p.Religion, &cccd,
		&p.Education, &p.Occupation, &res, &p.Workplace, &p.YouthUnion, &p.TradeUnion, &p.OrgID, &p.Stage, &p.Version)
	if err != nil {
		return nil, err
	}
	p.BirthDate, p.CCCD, p.ResidenceID = birth.T, string(cccd), int64(res)
	return &p, nil
}

// duplicatePerson turns a unique violation on people into a precise message.
func duplicatePerson(err error, p *domain.Person) error {
	if d, ok := errors.AsType[*ErrDuplicate](err); ok && d.On("cccd") {
		return &domain.Error{Code: domain.EConflict, Field: "cccd",
			Message: "Số CCCD " + vn.MaskCCCD(p.CCCD) + " đã có trong hệ thống (mỗi người chỉ có một hồ sơ)"}
	}
	return err
}

// CreatePerson inserts p; the folded name and sort key are derived here.
func (s *Store) CreatePerson(ctx context.Context, p *domain.Person, now time.Time) (err error) {
	defer wrap(&err, "store.CreatePerson")
	p.NameFold, p.NameKey = vn.Fold(p.FullName), nameKey(p.FullName)
	err = s.q.QueryRowContext(ctx,
		`INSERT INTO people (full_name, name_fold, name_key, birth_date, sex, ethnicity, religion, cccd, education,
		   occupation, residence_id, workplace, youth_union, trade_union, org_id, stage, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id`,
		p.FullName, p.NameFold, p.NameKey, dateArg(p.BirthDate), p.Sex, p.Ethnicity, p.Religion, nullStr(p.CCCD),
		p.Education, p.Occupation, nullInt(p.ResidenceID), p.Workplace, p.YouthUnion, p.TradeUnion, p.OrgID, p.Stage, now.UTC()).Scan(&p.ID)
	if err != nil {
		return duplicatePerson(mapErr(err), p)
	}
	p.Version = 1
	if err := s.setPersonWords(ctx, p.ID, p.NameFold, p.NameKey, p.OrgID, true, ""); err != nil {
		return err
	}
	if isMember(p.Stage) { // a member recorded without a decision counts where they live
		if err := s.refreshResidences(ctx, []int64{p.ResidenceID}); err != nil {
			return err
		}
	}
	if p.Stage != domain.StageSource {
		return nil
	}
	return s.refreshPeopleFunnel(ctx, []int64{p.ID}) // a new source (no case yet)
}

// UpdatePerson saves p if its version is still the stored one.
func (s *Store) UpdatePerson(ctx context.Context, p *domain.Person, now time.Time) (err error) {
	defer wrap(&err, "store.UpdatePerson(%d)", p.ID)
	var oldFold, oldKey, oldStage string
	var oldOrg int64
	var oldHome nullID
	if err := s.q.QueryRowContext(ctx, `SELECT name_fold, name_key, org_id, residence_id, stage FROM people WHERE id = $1`, p.ID).
		Scan(&oldFold, &oldKey, &oldOrg, &oldHome, &oldStage); err != nil {
		return notFound(err, "Không tìm thấy người có mã số %d", p.ID)
	}
	p.NameFold, p.NameKey = vn.Fold(p.FullName), nameKey(p.FullName)
	res, err := s.q.ExecContext(ctx,
		`UPDATE people SET full_name = $1, name_fold = $2, name_key = $3, birth_date = $4, sex = $5, ethnicity = $6,
		   religion = $7, cccd = $8, education = $9, occupation = $10, residence_id = $11, workplace = $12,
		   youth_union = $13, trade_union = $14, org_id = $15, stage = $16, updated_at = $17, version = version + 1
		 WHERE id = $18 AND version = $19`,
		p.FullName, p.NameFold, p.NameKey, dateArg(p.BirthDate), p.Sex, p.Ethnicity, p.Religion, nullStr(p.CCCD),
		p.Education, p.Occupation, nullInt(p.ResidenceID), p.Workplace, p.YouthUnion, p.TradeUnion, p.OrgID, p.Stage,
		now.UTC(), p.ID, p.Version)
	if err != nil {
		return duplicatePerson(mapErr(err), p)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.EConflict, "Hồ sơ của %s vừa được người khác sửa. Hãy tải lại trang và nhập lại thay đổi.", p.FullName)
	}
	p.Version++
	switch {
	case p.NameFold != oldFold || p.OrgID != oldOrg:
		err = s.setPersonWords(ctx, p.ID, p.NameFold, p.NameKey, p.OrgID, false, oldKey)
	case p.NameKey != oldKey:
		err = s.rekeyPersonWords(ctx, p.ID, oldKey, p.NameKey)
	}
	if err != nil {
		return err
	}
	if int64(oldHome) != p.ResidenceID || isMember(oldStage) != isMember(p.Stage) { // the villages' members move
		if err := s.refreshResidences(ctx, []int64{int64(oldHome), p.ResidenceID}); err != nil {
			return err
		}
	}
	return s.refreshPeopleFunnel(ctx, []int64{p.ID})
}

// SetStage changes only the stage of a person (and bumps the version).
func (s *Store) SetStage(ctx context.Context, personID int64, stage string, now time.Time) (err error) {
	defer wrap(&err, "store.SetStage(%d)", personID)
	var old string
	if err := s.q.QueryRowContext(ctx, `SELECT stage FROM people WHERE id = $1`, personID).Scan(&old); err != nil {
		return notFound(err, "Không tìm thấy người có mã số %d", personID)
	}
	_, err = s.q.ExecContext(ctx, `UPDATE people SET stage = $1, updated_at = $2, version = version + 1 WHERE id = $3`,
		stage, now.UTC(), personID)
	if err != nil {
		return mapErr(err)
	}
	if isMember(old) != isMember(stage) { // a member from the decision, or no longer one
		if err := s.refreshResidents(ctx, []int64{personID}); err != nil {
			return err
		}
	}
	return s.refreshPeopleFunnel(ctx, []int64{personID})
}

// GetPerson returns the person with the id, and the path of their organization.
func (s *Store) GetPerson(ctx context.Context, id int64) (_ *domain.Person, _ string, err error) {
	defer wrap(&err, "store.GetPerson(%d)", id)
	row := s.q.QueryRowContext(ctx, `SELECT `+personCols+`, o.path FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id = $1`, id)
	var path string
	p, err := scanPerson(scanTail{row, &path})
	if err != nil {
		return nil, "", notFound(err, "Không tìm thấy người có mã số %d", id)
	}
	return p, path, nil
}

// scanTail appends extra destinations to a row scan.
type scanTail struct {
	row  interface{ Scan(...any) error }
	tail *string
}

func (t scanTail) Scan(dest ...any) error { return t.row.Scan(append(dest, t.tail)...) }

// PersonFilter selects people for a list. Path scopes it to a subtree and
// is required; the rest narrow it.
type PersonFilter struct {
	Path      string
	OrgID     int64    // exactly this organization
	Stages    []string // any of these stages
	Query     string   // folded substring of the name, or digits of the CCCD
	Residence int64
	Limit     int
	Offset    int
	// After, when set, starts the page after this person in name order
	// (keyset paging; Offset is then ignored).
	After *PersonCursor
}

// PersonCursor is a place in the people list: a person's sort key and id.
type PersonCursor struct {
	Key string
	ID  int64
}

// CountCap is the largest total a list counts: past it ListPeople
// returns CountCap+1, "more than CountCap".
const CountCap = 10_000

func (f *PersonFilter) where() (string, []any) {
	lo, hi := pathRange(f.Path)
	conds := []string{"o.path >= $1", "o.path < $2"}
	args := []any{lo, hi}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+itoa(len(args))))
	}
	if f.OrgID != 0 {
		add("p.org_id = $?", f.OrgID)
	}
	if f.Residence != 0 {
		add("p.residence_id = $?", f.Residence)
	}
	if len(f.Stages) > 0 {
		ph := make([]string, len(f.Stages))
		for i, st := range f.Stages {
			args = append(args, st)
			ph[i] = "$" + itoa(len(args))
		}
		conds = append(conds, "p.stage IN ("+strings.Join(ph, ", ")+")")
	}
	if q := vn.Fold(f.Query); q != "" {
		if isDigits(q) && len(q) >= 3 {
			add("p.cccd LIKE $?", "%"+q+"%")
		} else {
			// ListPeople searches the plain words through the word tables
			// (searchPeople); a caller of where is given the same matches.
			for _, w := range searchWords(q) {
				args = append(args, w, prefixEnd(w))
				conds = append(conds, `EXISTS (SELECT 1 FROM person_words w WHERE w.person_id = p.id AND w.word >= $`+
					itoa(len(args)-1)+` AND w.word < $`+itoa(len(args))+`)`)
			}
			if cond, more := likeCondition(q, len(args)+1); cond != "" {
				args = append(args, more...)
				conds = append(conds, cond)
			}
		}
	}
	return strings.Join(conds, " AND "), args
}

// ListPeople returns one page of people matching f in Vietnamese name
// order, and how many match: exactly up to CountCap, CountCap+1 for more
// (a count never reads more than CountCap+1 rows). A page after f.After
// seeks its place by key; f.Offset is the old way, kept for page numbers.
// A name search reads only the entries of the words that match
// (searchPeople), not the whole scope.
func (s *Store) ListPeople(ctx context.Context, f PersonFilter) (_ []*domain.Person, _ int, err error) {
	defer wrap(&err, "store.ListPeople")
	if q := vn.Fold(f.Query); q != "" && !(isDigits(q) && len(q) >= 3) {
		if words := searchWords(q); len(words) > 0 {
			return s.searchPeople(ctx, f, words)
		}
	}
	where, args := f.where()
	from := `people p JOIN orgs o ON o.id = p.org_id`
	// The count, kept for the data version: the next pages of a large
	// scope do not count its 10,001 people again.
	ck := fmt.Sprintf("list\x00%s\x00%s\x00%d\x00%d\x00%q", f.Path, vn.Fold(f.Query), f.OrgID, f.Residence, f.Stages)
	version, total := s.counts.get(ctx, s, ck)
	if total < 0 {
		if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+from+` WHERE `+where+
			` LIMIT `+itoa(CountCap+1)+`) t`, args...).Scan(&total); err != nil {
			return nil, 0, mapErr(err)
		}
		s.counts.put(version, ck, total)
	}
	limit := f.Limit
	if limit <= 0 || limit > 501 {
		limit = 50
	}
	offset := max(f.Offset, 0)
	if f.After != nil {
		args = append(args, f.After.Key, f.After.ID)
		where += ` AND (p.name_key > $` + itoa(len(args)-1) + ` OR (p.name_key = $` + itoa(len(args)-1) + ` AND p.id > $` + itoa(len(args)) + `))`
		offset = 0
	}
	args = append(args, limit, offset)
	if keyOrder(f) {
		// the whole system, a unit at the top or a province: walk the
		// people in name order and keep those under the path (a few
		// thousand rows for a page of a province), rather than gather
		// every person under it and sort them (5,8 million for the country)
		from = `people p`
		where = strings.Replace(where, "o.path >= $1 AND o.path < $2",
			"(SELECT x.path FROM orgs x WHERE x.id = p.org_id) >= $1 AND (SELECT x.path FROM orgs x WHERE x.id = p.org_id) < $2", 1)
	}
	out, err := collect(ctx, s, scanPerson, `SELECT `+personCols+` FROM `+from+` WHERE `+where+
		` ORDER BY p.name_key, p.id LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	return out, total, err
}

// keyOrder tells whether a page of the plain list is read in name order
// through the people's key index: a scope of the whole system, a unit at
// the top or one level below it (a province), without a narrower filter
// (a unit, a village) that would make the walk long.
func keyOrder(f PersonFilter) bool {
	return f.OrgID == 0 && f.Residence == 0 && len(pathIDs(f.Path)) <= 2
}

// CountMembers counts the probationary and official members under path.
func (s *Store) CountMembers(ctx context.Context, path string) (_ int, err error) {
	defer wrap(&err, "store.CountMembers")
	f := PersonFilter{Path: path, Stages: []string{domain.StageProbationary, domain.StageOfficial}}
	where, args := f.where()
	var n int
	err = s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM people p JOIN orgs o ON o.id = p.org_id WHERE `+where, args...).Scan(&n)
	return n, mapErr(err)
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// nameKey is the Vietnamese sort key as hex text: hex keeps byte order, so
// ORDER BY name_key (binary in SQLite, "C" in PostgreSQL) is name order.
func nameKey(full string) string { return hex.EncodeToString(vn.SortKey(full)) }
