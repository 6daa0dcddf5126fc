package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
)

// CheckPerson validates a person's input as CreatePerson does, without
// writing anything; the bulk import checks every row this way first.
func (s *Service) CheckPerson(ctx context.Context, in PersonInput) (*domain.Person, error) {
	p := &domain.Person{}
	if err := s.toPerson(ctx, in, p); err != nil {
		return nil, err
	}
	return p, nil
}

// CheckMembership validates the membership facts of an imported member
// (m.AdmittedOrgID set) against the person p.
func (s *Service) CheckMembership(p *domain.Person, m *domain.Membership) error {
	if m.Status == "" {
		m.Status = domain.StageProbationary
		if m.RecognitionDate != nil {
			m.Status = domain.StageOfficial
		}
	}
	if err := m.Validate(); err != nil {
		return err
	}
	if !m.DecisionDate.After(p.BirthDate) {
		return domain.FieldError("decision_date", "Ngày quyết định kết nạp phải sau ngày sinh")
	}
	if m.DecisionDate.After(domain.Today(s.Now)) {
		return domain.FieldError("decision_date", "Ngày quyết định kết nạp không được sau hôm nay")
	}
	return nil
}

// ImportPeople writes people already validated (CheckPerson, and for
// members CheckMembership: members[i] is people[i]'s admission, or nil) in
// one transaction with one audit record: all of them or none. progress,
// when set, is called with the number written so far.
func (s *Service) ImportPeople(ctx context.Context, kind string, people []*domain.Person, members []*domain.Membership, progress func(int)) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite("people") {
		return cannotWrite(me)
	}
	now := s.Now()
	return s.store.Tx(ctx, func(tx *store.Store) error {
		ts := s.in(tx)
		for i, p := range people {
			if err := tx.CreatePerson(ctx, p, now); err != nil {
				return err
			}
			if i < len(members) && members[i] != nil {
				m := members[i]
				m.PersonID = p.ID
				if err := tx.CreateMembership(ctx, m); err != nil {
					return err
				}
				if m.Status == domain.StageProbationary {
					if err := ts.openImportedCase(ctx, me, p, m); err != nil {
						return err
					}
				}
			}
			if progress != nil && (i+1)%5000 == 0 {
				progress(i + 1)
			}
		}
		return s.audit(ctx, tx, me, "import", "person", 0, map[string]any{"kind": kind, "count": len(people)})
	})
}

// OrgImport is one row of an organizations file: a new organization (New,
// under ParentCode: in the store or earlier in the file) or one already in
// the store (Existing); with, for either, its closing date and successor
// and the body that decides admissions under it.
type OrgImport struct {
	New        *domain.Org
	ParentCode string
	Existing   *domain.Org
	ValidTo    *time.Time
	Successor  string // code, in the store or in the file
	Decider    string // code of the deciding body: the organization or an ancestor; "" for the tree's default
	Authorised bool   // the decider is an authorised grassroots committee
	// AuthorityFrom is the day the decider applies from (set with Decider).
	AuthorityFrom time.Time
}

// ImportOrgs writes organizations already validated in one transaction
// with one audit record: the new ones in order (a parent before its
// children), then the closings and successors (the deepest first, so that
// a unit never outlives its parent), then the admission authorities.
func (s *Service) ImportOrgs(ctx context.Context, rows []OrgImport) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite("org") {
		return cannotWrite(me)
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		ts := s.in(tx)
		made := map[string]*domain.Org{}
		byCode := func(code string) (*domain.Org, error) {
			if o, ok := made[code]; ok {
				return tx.GetOrg(ctx, o.ID)
			}
			o, err := tx.GetOrgByCode(ctx, code)
			if err != nil {
				return nil, err
			}
			if !me.Sees(o.Path) {
				return nil, forbidden(o.Name)
			}
			return o, nil
		}
		created := 0
		for _, r := range rows {
			o := r.New
			if o == nil {
				continue
			}
			if pc := r.ParentCode; pc != "" {
				parent, err := byCode(pc)
				if err != nil {
					return err
				}
				o.ParentID = parent.ID
			} else if me.OrgPath != "" {
				return domain.Errorf(domain.EForbidden, "Chỉ quản trị hệ thống mới tạo được tổ chức cấp trên cùng")
			}
			o.ValidTo, o.SuccessorID = nil, 0 // closed below, once every unit exists
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
			made[o.Code] = o
			created++
		}
		var closing []OrgImport
		for _, r := range rows {
			if r.ValidTo != nil || r.Successor != "" {
				closing = append(closing, r)
			}
		}
		code := func(r OrgImport) string {
			if r.New != nil {
				return r.New.Code
			}
			return r.Existing.Code
		}
		depth := map[string]int{}
		for _, r := range closing {
			o, err := byCode(code(r))
			if err != nil {
				return err
			}
			depth[o.Code] = strings.Count(o.Path, "/")
		}
		slices.SortStableFunc(closing, func(a, b OrgImport) int { return depth[code(b)] - depth[code(a)] })
		for _, r := range closing {
			o, err := byCode(code(r))
			if err != nil {
				return err
			}
			o.ValidTo = r.ValidTo
			if r.Successor != "" {
				succ, err := byCode(r.Successor)
				if err != nil {
					return err
				}
				o.SuccessorID = succ.ID
			}
			if err := ts.checkValidity(ctx, o); err != nil {
				return err
			}
			if err := tx.UpdateOrg(ctx, o); err != nil {
				return err
			}
		}
		authorities := 0
		for _, r := range rows {
			if r.Decider == "" {
				continue
			}
			o, err := byCode(code(r))
			if err != nil {
				return err
			}
			// the deciding committee may be above the user's scope: it is
			// referred to, not written (authorityFor checks it contains o)
			var dec *domain.Org
			if m, ok := made[r.Decider]; ok {
				dec = m
			} else if dec, err = tx.GetOrgByCode(ctx, r.Decider); err != nil {
				return err
			}
			a, err := ts.authorityFor(ctx, o, dec, r.Authorised, r.AuthorityFrom)
			if err != nil {
				return err
			}
			if err := tx.SetAuthority(ctx, a); err != nil {
				return err
			}
			authorities++
		}
		return s.audit(ctx, tx, me, "import", "org", 0, map[string]any{"created": created, "closed": len(closing), "authorities": authorities})
	})
}

// authorityFor is the admission authority of o when dec decides, from o's
// founding: the grassroots committee's and sub-committee's steps follow
// the tree between them (as ladderOf does when nothing is recorded).
func (s *Service) authorityFor(ctx context.Context, o, dec *domain.Org, authorised bool, from time.Time) (*domain.Authority, error) {
	if !dec.Contains(o) {
		return nil, domain.FieldError("decider", "Cấp quyết định kết nạp của %s phải là chính tổ chức hoặc cấp trên của nó; %s thì không", o.Name, dec.Name)
	}
	if authorised && dec.Kind != domain.KindGrassroots {
		return nil, domain.FieldError("authorised", "Chỉ đảng ủy cơ sở mới được ủy quyền quyết định kết nạp; %s không phải đảng ủy cơ sở", dec.Name)
	}
	if from.IsZero() {
		from = o.ValidFrom
	}
	a := &domain.Authority{OrgID: o.ID, ValidFrom: from, DeciderID: dec.ID, Authorised: authorised}
	ids := store.PathIDs(o.Path)
	orgs, err := s.store.OrgsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, x := range orgs {
		if x.ID == dec.ID || !dec.Contains(x) {
			continue
		}
		switch x.Kind {
		case domain.KindSubCommittee:
			a.SubCommittee = true
		case domain.KindGrassroots:
			a.GrassrootsLevel = true
		}
	}
	return a, nil
}

// ImportTargets sets targets already validated (their units in the user's
// subtree, a quota never on the user's own unit) in one transaction.
func (s *Service) ImportTargets(ctx context.Context, targets []*domain.Target) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite("org") {
		return cannotWrite(me)
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		for _, t := range targets {
			if t.Kind == domain.TargetQuota && t.OrgID == me.OrgID {
				return domain.Errorf(domain.EForbidden, "Chỉ tiêu của đơn vị mình do cấp trên giao")
			}
			if err := t.Validate(); err != nil {
				return err
			}
			if err := tx.SetTarget(ctx, t); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, me, "import", "target", 0, map[string]any{"count": len(targets)})
	})
}

// openImportedCase opens the case of a probationary member imported with
// the decision (domain.CaseImported): awaiting the ceremony, or in
// probation from the ceremony, so that the ceremony and recognition
// deadlines and the probation tracker cover the members decided before
// ketnap. A member of an organization that is not a chapter gets none
// (the case belongs to a chapter).
func (s *Service) openImportedCase(ctx context.Context, me *domain.User, p *domain.Person, m *domain.Membership) error {
	org, err := s.store.GetOrg(ctx, p.OrgID)
	if err != nil {
		return err
	}
	if !org.Kind.IsChapter() {
		return nil
	}
	decided := m.DecisionDate
	c := &domain.Case{PersonID: p.ID, OrgID: org.ID, Kind: domain.CaseImported, Stage: domain.CaseDecided,
		StageBefore: domain.StageCandidate, OpenedOn: decided, RulesID: rules.InForce(decided).ID, DeciderID: m.DecidedByID,
		DecisionNo: m.DecisionNo, DecisionDate: &decided, MembershipID: m.ID, CeremonyDate: m.CeremonyDate}
	if c.CeremonyDate != nil {
		c.Stage = domain.CaseProbation
	}
	st := &caseState{me: me, c: c, path: org.Path, person: p, org: org, parts: &store.CaseParts{}, today: domain.Today(s.Now)}
	if st.cal, err = s.Calendar(ctx); err != nil {
		return err
	}
	pl, err := s.plan(ctx, s.store, st)
	if err != nil {
		return err
	}
	c.NextAction, c.NextOwner, c.NextDue = pl.Action, pl.Owner, pl.Due
	if err := s.store.CreateCase(ctx, c, s.Now()); err != nil {
		return err
	}
	return s.store.SetCaseDeadlines(ctx, c.ID, pl.Deadlines)
}
