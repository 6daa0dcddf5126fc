package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// PersonInput is what a user enters for a person.
type PersonInput struct {
	FullName    string
	BirthDate   time.Time
	Sex         string
	Ethnicity   string // code or name of one of the 54 groups
	Religion    string // code or name
	CCCD        string
	Education   string
	Occupation  string
	ResidenceID int64
	Workplace   string
	YouthUnion  bool
	TradeUnion  bool
	OrgCode     string
	// Stage is not edited: a new person is a source ("" or StageSource),
	// an edit keeps the stage ("" or the person's own); the stage follows
	// from the cases and the memberships (stageStep names the step).
	Stage   string
	Version int64
}

// toPerson validates in and fills p (keeping p's id and version). The
// unit's problems (unknown code, closed unit) join the fields' when there
// are both, so that the form shows them all at once.
func (s *Service) toPerson(ctx context.Context, in PersonInput, p *domain.Person) error {
	residence := p.ResidenceID // the recorded one, kept without a check
	fieldErr := s.personFields(ctx, in, p)
	org, err := s.orgField(ctx, in.OrgCode, "org")
	if err == nil && org.ID != p.OrgID {
		// judged on the date pages open on (the demo's date in the demo,
		// today otherwise): the unit must exist on the day the record is
		// made, as a step's chapter on the step's date
		err = s.openUnit(ctx, org, s.stepDay(ctx), "org")
	}
	if fieldErr == nil {
		if err != nil {
			return err
		}
		if in.ResidenceID != 0 && in.ResidenceID != residence {
			// a village or residential group of a commune in the user's
			// subtree, or above it for a user bound below a commune (those
			// ResidentialUnits offers)
			me := UserFrom(ctx)
			path, err := s.store.ResidentialUnitPath(ctx, in.ResidenceID)
			if err != nil || !strings.HasPrefix(me.OrgPath, path) {
				if err := reach(me, "residence", err, path); err != nil {
					return err
				}
			}
		}
		p.OrgID = org.ID
		return nil
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.ENotFound && code != domain.EInvalid {
			return err // out of scope, or not about the input
		}
		var fe domain.FieldErrors
		for _, m := range domain.FieldMessages(fieldErr) {
			fe.Add(domain.FieldError(m.Field, "%s", m.Message))
		}
		fe.Add(domain.FieldError("org", "%s", domain.ErrorMessage(err)))
		return fe.Err()
	}
	return fieldErr
}

// CheckPerson judges in as CreatePerson would, without writing anything:
// the person form asks it for every problem when some fields could not
// even be read.
func (s *Service) CheckPerson(ctx context.Context, in PersonInput) error {
	if _, err := actor(ctx); err != nil {
		return err
	}
	if in.Stage == "" {
		in.Stage = domain.StageSource
	}
	return s.toPerson(ctx, in, &domain.Person{})
}

// openUnit refuses a unit closed on or before day d for a new record of
// that day (a person placed in it, an admission decided in it), naming the
// unit that carries its history (DOMAIN §2: nothing new is recorded on a
// closed unit after its closing).
func (s *Service) openUnit(ctx context.Context, o *domain.Org, d time.Time, field string) error {
	if o.ValidTo == nil || d.Before(*o.ValidTo) {
		return nil
	}
	if o.SuccessorID != 0 {
		if x, err := s.store.GetOrg(ctx, o.SuccessorID); err == nil {
			return domain.FieldError(field, "%s không còn từ ngày %s (giải thể, sáp nhập): hãy ghi vào đơn vị kế thừa, %s (mã %s)",
				o.Name, vn.Date(*o.ValidTo), x.Name, x.Code)
		}
	}
	return domain.FieldError(field, "%s không còn từ ngày %s (giải thể, sáp nhập): hãy ghi vào đơn vị đang hoạt động", o.Name, vn.Date(*o.ValidTo))
}

// NameMax is the longest full name a person may have, in characters.
const NameMax = 100

// personFields validates the fields of in other than its organization and
// fills p: the person form and the import judge a person by it. Every
// field at fault is reported at once (domain.FieldErrors), the first one
// as the error's own field and message.
func (s *Service) personFields(ctx context.Context, in PersonInput, p *domain.Person) error {
	var fe domain.FieldErrors
	bad := func(field, format string, args ...any) {
		fe.Add(domain.FieldError(field, format, args...))
	}
	p.FullName = vn.Clean(in.FullName)
	switch n := len([]rune(p.FullName)); {
	case p.FullName == "":
		bad("full_name", "Họ và tên không được để trống")
	case n > NameMax:
		bad("full_name", "Họ và tên dài %s ký tự, quá giới hạn %d ký tự: %q", vn.Int(n), NameMax, vn.Echo(p.FullName))
	case !strings.Contains(p.FullName, " "):
		bad("full_name", "Họ và tên %q không hợp lệ: cần đủ họ và tên", vn.Echo(p.FullName))
	}
	today := s.DefaultAsOf(ctx)
	switch {
	case in.BirthDate.IsZero():
		bad("birth_date", "Cần ngày sinh")
	case in.BirthDate.After(today) || in.BirthDate.Year() < 1900:
		bad("birth_date", "Ngày sinh %s không hợp lệ", vn.Date(in.BirthDate))
	}
	p.BirthDate = in.BirthDate
	if in.Sex != domain.Male && in.Sex != domain.Female {
		bad("sex", "Giới tính phải là Nam hoặc Nữ")
	}
	p.Sex = in.Sex
	if eth, ok := vn.FindEthnicity(in.Ethnicity); ok {
		p.Ethnicity = eth.Code
	} else {
		bad("ethnicity", "Dân tộc %q không có trong danh mục 54 dân tộc", vn.Echo(in.Ethnicity))
	}
	if in.Religion == "" {
		in.Religion = vn.ReligionNone
	}
	if rel, ok := vn.FindReligion(in.Religion); ok {
		p.Religion = rel.Code
	} else {
		bad("religion", "Tôn giáo %q không có trong danh mục", vn.Echo(in.Religion))
	}
	p.CCCD = strings.ReplaceAll(strings.TrimSpace(in.CCCD), " ", "")
	// the number carries the birth year and the sex: it is checked against
	// them only when they are right themselves
	if p.CCCD != "" && !fe.Has("birth_date") && !fe.Has("sex") {
		if err := vn.ValidCCCDFor(p.CCCD, p.BirthDate, p.Sex == domain.Female); err != nil {
			fe.Add(&domain.Error{Code: domain.EInvalid, Field: "cccd", Message: err.Error()})
		}
	}
	if domain.EducationName(in.Education) == in.Education {
		bad("education", "Trình độ học vấn %q không hợp lệ", vn.Echo(in.Education))
	}
	p.Education = in.Education
	if in.Occupation == "" {
		in.Occupation = "other"
	}
	if domain.OccupationName(in.Occupation) == in.Occupation {
		bad("occupation", "Nghề nghiệp %q không hợp lệ", vn.Echo(in.Occupation))
	}
	p.Occupation = in.Occupation
	p.ResidenceID, p.Workplace = in.ResidenceID, vn.Clean(in.Workplace)
	p.YouthUnion, p.TradeUnion = in.YouthUnion, in.TradeUnion
	if domain.StageName(in.Stage) == in.Stage {
		bad("stage", "Giai đoạn %q không hợp lệ", vn.Echo(in.Stage))
	}
	p.Stage = in.Stage
	return fe.Err()
}

// CreatePerson adds a person in the user's subtree: a source (quần
// chúng). A member comes from a recorded admission decision (the person
// page's, or the members import), a candidate from the case's dossier step.
func (s *Service) CreatePerson(ctx context.Context, in PersonInput) (*domain.Person, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanWrite("people") {
		return nil, cannotWrite(me)
	}
	switch in.Stage {
	case "":
		in.Stage = domain.StageSource
	case domain.StageSource:
	default:
		return nil, domain.FieldError("stage", "Người mới thêm vào là quần chúng (nguồn phát triển đảng viên), không phải “%s”: "+
			"đảng viên có từ quyết định kết nạp (cán bộ tổ chức ghi từ hồ sơ giấy trên trang của người này sau khi thêm, hoặc nhập danh sách đảng viên), "+
			"người đang làm hồ sơ có từ hồ sơ kết nạp", domain.StageName(in.Stage))
	}
	p := &domain.Person{}
	if err := s.toPerson(ctx, in, p); err != nil {
		return nil, err
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreatePerson(ctx, p, s.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "create", "person", p.ID, map[string]any{"name": p.FullName, "stage": p.Stage})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdatePerson edits a person in the user's subtree; in.Version must be
// the version the user saw, or the change is refused with 409. The stage
// is not edited (stageStep).
func (s *Service) UpdatePerson(ctx context.Context, id int64, in PersonInput) (*domain.Person, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanWrite("people") {
		return nil, cannotWrite(me)
	}
	p, _, err := s.personIn(ctx, me, id, "")
	if err != nil {
		return nil, err
	}
	switch {
	case in.Stage == "" || in.Version != p.Version:
		// kept; an edit of an outdated record is refused as such (409)
		in.Stage = p.Stage
	case in.Stage != p.Stage && domain.StageName(in.Stage) != in.Stage:
		return nil, stageStep(p.Stage, in.Stage)
	}
	if err := s.toPerson(ctx, in, p); err != nil {
		return nil, err
	}
	p.Version = in.Version
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdatePerson(ctx, p, s.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "update", "person", p.ID, map[string]any{"name": p.FullName, "stage": p.Stage})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// PersonView is a person with their memberships, as the user may see them.
type PersonView struct {
	*domain.Person
	Org         *domain.Org
	Memberships []*domain.Membership
	CCCDShown   string // masked unless revealed
}

// Person returns a person in the user's subtree. With reveal the CCCD is
// shown in full and the reveal is recorded in the audit log.
func (s *Service) Person(ctx context.Context, id int64, reveal bool) (*PersonView, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	p, _, err := s.personIn(ctx, me, id, "")
	if err != nil {
		return nil, err
	}
	org, err := s.store.GetOrg(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	ms, err := s.store.Memberships(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	v := &PersonView{Person: p, Org: org, Memberships: ms, CCCDShown: vn.MaskCCCD(p.CCCD)}
	if reveal && p.CCCD != "" {
		if err := s.audit(ctx, s.store, me, "reveal_cccd", "person", p.ID, nil); err != nil {
			return nil, err
		}
		v.CCCDShown = p.CCCD
	}
	return v, nil
}

// PeopleQuery selects a page of people.
type PeopleQuery struct {
	OrgCode string // subtree; "" for the user's whole scope
	Direct  bool   // only people of exactly that organization
	Stages  []string
	Query   string
	Page    int // from 1; ignored with After
	PerPage int
	// After is the Next of the page before: the page that follows it,
	// found by key (the way to walk a long list; Page counts rows).
	After string
}

// PeoplePage is one page of a list.
type PeoplePage struct {
	People []*domain.Person
	// Total is how many match, counted up to store.CountCap; More says
	// there are more than that (Total is then CountCap).
	Total   int
	More    bool
	Page    int
	PerPage int
	// Next is the cursor of the following page, "" on the last one.
	Next string
}

// Pages is the number of pages (one more than CountCap makes when there
// are more).
func (p *PeoplePage) Pages() int {
	n := max(1, (p.Total+p.PerPage-1)/p.PerPage)
	if p.More {
		n++
	}
	return n
}

// personCursor encodes a place in the people list: the sort key (hex) and
// the id.
func personCursor(p *domain.Person) string { return p.NameKey + "." + strconv.FormatInt(p.ID, 10) }

func parsePersonCursor(s string) (*store.PersonCursor, error) {
	key, id, ok := strings.Cut(s, ".")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 || strings.Trim(key, "0123456789abcdef") != "" {
		return nil, domain.FieldError("after", "Vị trí trang %q không hợp lệ", s)
	}
	return &store.PersonCursor{Key: key, ID: n}, nil
}

// People lists people in the user's subtree, in Vietnamese name order.
// Scoping happens in SQL, so nobody outside the subtree is ever loaded.
func (s *Service) People(ctx context.Context, q PeopleQuery) (*PeoplePage, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	f := store.PersonFilter{Path: scopePath(me), Stages: q.Stages, Query: q.Query}
	if q.OrgCode != "" {
		o, err := s.Org(ctx, q.OrgCode)
		if err != nil {
			return nil, err
		}
		f.Path = o.Path
		if q.Direct {
			f.OrgID = o.ID
		}
	}
	for _, st := range q.Stages {
		if domain.StageName(st) == st {
			return nil, domain.FieldError("stage", "Giai đoạn %q không hợp lệ", st)
		}
	}
	if q.PerPage <= 0 || q.PerPage > 200 {
		q.PerPage = 50
	}
	q.Page = max(q.Page, 1)
	f.Limit, f.Offset = q.PerPage+1, (q.Page-1)*q.PerPage // one more: is there a next page?
	if q.After != "" {
		if f.After, err = parsePersonCursor(q.After); err != nil {
			return nil, err
		}
	}
	people, total, err := s.store.ListPeople(ctx, f)
	if err != nil {
		return nil, err
	}
	page := &PeoplePage{People: people, Total: total, Page: q.Page, PerPage: q.PerPage}
	if total > store.CountCap {
		page.Total, page.More = store.CountCap, true
	}
	if len(people) > q.PerPage {
		page.People = people[:q.PerPage]
		page.Next = personCursor(people[q.PerPage-1])
	}
	return page, nil
}

// validMembership validates the admission m of the person p: the form and
// the members import judge it by it.
func (s *Service) validMembership(ctx context.Context, p *domain.Person, m *domain.Membership) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if !m.DecisionDate.After(p.BirthDate) {
		return domain.FieldError("decision_date", "Ngày quyết định kết nạp phải sau ngày sinh")
	}
	if m.DecisionDate.After(s.DefaultAsOf(ctx)) {
		return domain.FieldError("decision_date", "Ngày quyết định kết nạp không được sau hôm nay")
	}
	return nil
}
