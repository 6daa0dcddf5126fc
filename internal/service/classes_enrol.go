package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// Enrolment: the people a class may take (sources and candidates for the
// awareness class, probationary members for the new-member class) from
// the units it serves; one person or a chapter's whole list at once;
// never the same person in two classes whose dates overlap.

// EligibleQuery selects a page of the people a class may enrol.
type EligibleQuery struct {
	OrgCode string // only the people of this unit (a chapter)
	Query   string
	Page    int
	PerPage int
}

// EligiblePage is one page of people a class may enrol.
type EligiblePage struct {
	People  []domain.PersonRow
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p *EligiblePage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// eligibleFilter is the store filter of the people class c may enrol,
// within the user's scope.
func (s *Service) eligibleFilter(ctx context.Context, me *domain.User, c *domain.Class) (store.EligibleFilter, error) {
	prog, _ := domain.ProgrammeOf(c.Programme)
	f := store.EligibleFilter{Path: scopePath(me), Stages: prog.Stages, ClassID: c.ID, Programme: c.Programme,
		Start: c.StartDate, End: c.EndDate}
	units, err := s.store.OrgsByIDs(ctx, c.UnitIDs)
	if err != nil {
		return f, err
	}
	for _, u := range units {
		f.UnitPaths = append(f.UnitPaths, u.Path)
	}
	return f, nil
}

// Eligible lists the people the user may enrol in the class.
func (s *Service) Eligible(ctx context.Context, classID int64, q EligibleQuery) (*EligiblePage, error) {
	me, c, _, err := s.classForWrite(ctx, classID)
	if err != nil {
		return nil, err
	}
	f, err := s.eligibleFilter(ctx, me, c)
	if err != nil {
		return nil, err
	}
	if q.OrgCode != "" {
		o, err := s.Org(ctx, q.OrgCode)
		if err != nil {
			return nil, err
		}
		f.OrgID = o.ID
	}
	f.Query = vn.Fold(q.Query)
	if q.PerPage <= 0 || q.PerPage > 500 {
		q.PerPage = 100
	}
	q.Page = max(q.Page, 1)
	f.Limit, f.Offset = q.PerPage, (q.Page-1)*q.PerPage
	people, total, err := s.store.EligiblePeople(ctx, f)
	if err != nil {
		return nil, err
	}
	return &EligiblePage{People: people, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// checkEnrol checks that the person may join the class: seen by the user,
// at a stage the programme takes, in a unit the class serves, not in
// another class at the same time, without a valid certificate already.
func (s *Service) checkEnrol(ctx context.Context, tx *store.Store, me *domain.User, c *domain.Class, unitPaths []string, personID int64) (*domain.Person, error) {
	p, path, err := tx.GetPerson(ctx, personID)
	if err := reach(me, "people", err, path); err != nil {
		return nil, err
	}
	prog, _ := domain.ProgrammeOf(c.Programme)
	if !slices.Contains(prog.Stages, p.Stage) {
		names := make([]string, len(prog.Stages))
		for i, st := range prog.Stages {
			names[i] = strings.ToLower(domain.StageName(st))
		}
		return nil, domain.Errorf(domain.EConflict, "%s đang là %s; lớp %s chỉ nhận %s",
			p.FullName, strings.ToLower(domain.StageName(p.Stage)), lowerFirst(prog.Name), strings.Join(names, ", "))
	}
	served := false
	for _, up := range unitPaths {
		served = served || strings.HasPrefix(path, up)
	}
	if !served {
		return nil, domain.Errorf(domain.EConflict, "%s không thuộc đơn vị nào mà lớp %s phục vụ", p.FullName, c.Code)
	}
	other, err := tx.OverlappingClass(ctx, p.ID, c.ID, c.StartDate, c.EndDate)
	if err != nil {
		return nil, err
	}
	if other != "" {
		return nil, domain.Errorf(domain.EConflict, "%s đang có tên trong lớp %s, trùng thời gian với lớp %s (%s–%s): một người không học hai lớp cùng lúc",
			p.FullName, other, c.Code, vn.Date(c.StartDate), vn.Date(c.EndDate))
	}
	cert, err := tx.ValidCertificateOn(ctx, p.ID, c.Programme, c.StartDate)
	if err != nil {
		return nil, err
	}
	if cert != nil {
		return nil, domain.Errorf(domain.EConflict, "%s đã có giấy chứng nhận %s số %s cấp ngày %s, còn hiệu lực", p.FullName,
			lowerFirst(prog.Name), cert.Number, vn.Date(cert.Issued))
	}
	return p, nil
}

// Enrol adds people to a planned or open class, all or none: when one of
// them may not join, nobody is added and the error names every refusal.
// With no ids and a chapter code, it enrols the chapter's whole list of
// people the class may take (the chapter's proposed list).
func (s *Service) Enrol(ctx context.Context, classID int64, personIDs []int64, chapterCode string) ([]*domain.Learner, error) {
	me, c, _, err := s.classForWrite(ctx, classID)
	if err != nil {
		return nil, err
	}
	if c.Status != domain.ClassPlanned && c.Status != domain.ClassOpen {
		return nil, domain.Errorf(domain.EConflict, "Lớp %s %s nên không nhận thêm học viên", c.Code, strings.ToLower(domain.ClassStatusName(c.Status)))
	}
	f, err := s.eligibleFilter(ctx, me, c)
	if err != nil {
		return nil, err
	}
	if len(personIDs) == 0 && chapterCode != "" {
		if personIDs, err = s.chapterList(ctx, f, c, chapterCode); err != nil {
			return nil, err
		}
	}
	if len(personIDs) == 0 {
		return nil, domain.FieldError("people", "Chọn ít nhất một người")
	}
	slices.Sort(personIDs)
	personIDs = slices.Compact(personIDs)
	var out []*domain.Learner
	today := s.DefaultAsOf(ctx)
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		n, err := tx.CountLearners(ctx, c.ID)
		if err != nil {
			return err
		}
		if c.Capacity > 0 && n+len(personIDs) > c.Capacity {
			return domain.Errorf(domain.EConflict, "Lớp %s có %d chỗ, đã có %d học viên: không thêm được %d người",
				c.Code, c.Capacity, n, len(personIDs))
		}
		if out, err = s.addLearners(ctx, tx, me, c, f.UnitPaths, personIDs, today); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "enrol", "class", c.ID, map[string]any{"people": personIDs})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// chapterList is the ids of every person of the chapter that class c may
// enrol (f: the class's eligible filter), read a thousand at a time; it is
// an error when there is none.
func (s *Service) chapterList(ctx context.Context, f store.EligibleFilter, c *domain.Class, chapterCode string) ([]int64, error) {
	o, err := s.orgField(ctx, chapterCode, "chapter")
	if err != nil {
		return nil, err
	}
	f.OrgID, f.Limit = o.ID, 1000
	var ids []int64
	for {
		page, total, err := s.store.EligiblePeople(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			ids = append(ids, p.ID)
		}
		f.Offset += len(page)
		if len(page) == 0 || f.Offset >= total {
			break
		}
	}
	if len(ids) == 0 {
		return nil, domain.Errorf(domain.EConflict, "%s không có ai để cử đi học lớp %s", o.Name, c.Code)
	}
	return ids, nil
}

// addLearners checks each person (checkEnrol) and adds those who may join
// to class c on today; when anyone is refused, the error names the first
// five refusals and the transaction must roll back.
func (s *Service) addLearners(ctx context.Context, tx *store.Store, me *domain.User, c *domain.Class, unitPaths []string, personIDs []int64, today time.Time) ([]*domain.Learner, error) {
	var out []*domain.Learner
	var refused []string
	for _, id := range personIDs {
		if _, err := s.checkEnrol(ctx, tx, me, c, unitPaths, id); err != nil {
			if code := domain.ErrorCode(err); code == domain.EInternal || code == domain.EForbidden {
				return nil, err // outside the user's subtree (or unknown): the one answer, naming nobody
			}
			refused = append(refused, domain.ErrorMessage(err))
			continue
		}
		l := &domain.Learner{ClassID: c.ID, PersonID: id, EnrolledOn: today, Status: domain.EnrolActive}
		if err := tx.AddLearner(ctx, l); err != nil {
			if domain.ErrorCode(err) == domain.EInternal {
				return nil, err
			}
			refused = append(refused, domain.ErrorMessage(err))
			continue
		}
		out = append(out, l)
	}
	if len(refused) > 0 {
		more := ""
		if len(refused) > 5 {
			more = fmt.Sprintf(" (và %d trường hợp khác)", len(refused)-5)
			refused = refused[:5]
		}
		return nil, domain.Errorf(domain.EConflict, "Chưa cử ai đi học vì %d người không đủ điều kiện: %s%s", len(refused),
			strings.Join(refused, "; "), more)
	}
	return out, nil
}

// Withdraw takes a learner out of a class that has not finished.
func (s *Service) Withdraw(ctx context.Context, learnerID int64, version int64) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	l, _, err := s.store.GetLearner(ctx, learnerID)
	if err != nil {
		return hidden(me, "", err)
	}
	me, c, _, err := s.classForWrite(ctx, l.ClassID)
	if err != nil {
		return err
	}
	if c.Status != domain.ClassPlanned && c.Status != domain.ClassOpen {
		return domain.Errorf(domain.EConflict, "Lớp %s %s nên không rút tên học viên được", c.Code, strings.ToLower(domain.ClassStatusName(c.Status)))
	}
	l.Status, l.Outcome, l.Total, l.ResultDate, l.Version = domain.EnrolWithdrawn, domain.OutcomeWithdrawn, 0, nil, version
	return s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SaveLearner(ctx, l); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "withdraw", "class", c.ID, map[string]any{"learner": l.ID, "person": l.PersonID})
	})
}

// lowerFirst lower-cases the first letter only ("Bồi dưỡng … Đảng" → "bồi dưỡng … Đảng").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToLower(string(r)) + s[n:]
}
