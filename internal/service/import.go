package service

import (
	"context"

	"ketnap/internal/domain"
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
	return s.Store.Tx(ctx, func(tx *store.Store) error {
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
			}
			if progress != nil && (i+1)%5000 == 0 {
				progress(i + 1)
			}
		}
		return s.audit(ctx, tx, me, "import", "person", 0, map[string]any{"kind": kind, "count": len(people)})
	})
}

// ImportOrgs creates organizations already validated, in order (a parent
// before its children: parentCodes[i] names orgs[i]'s parent, found in the
// store or earlier in the list), in one transaction with one audit record.
func (s *Service) ImportOrgs(ctx context.Context, orgs []*domain.Org, parentCodes []string) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite("org") {
		return cannotWrite(me)
	}
	return s.Store.Tx(ctx, func(tx *store.Store) error {
		ids := map[string]int64{}
		for i, o := range orgs {
			if pc := parentCodes[i]; pc != "" {
				if id, ok := ids[pc]; ok {
					o.ParentID = id
				} else {
					parent, err := tx.GetOrgByCode(ctx, pc)
					if err != nil {
						return err
					}
					if !me.Sees(parent.Path) {
						return forbidden(parent.Name)
					}
					o.ParentID = parent.ID
				}
			} else if me.OrgPath != "" {
				return domain.Errorf(domain.EForbidden, "Chỉ quản trị hệ thống mới tạo được tổ chức cấp trên cùng")
			}
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
			ids[o.Code] = o.ID
		}
		return s.audit(ctx, tx, me, "import", "org", 0, map[string]any{"count": len(orgs)})
	})
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
	return s.Store.Tx(ctx, func(tx *store.Store) error {
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
