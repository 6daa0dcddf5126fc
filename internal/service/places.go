package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// ResidentialUnitsOf lists the villages and residential groups of the
// communes under the organization on the date pages open on (DefaultAsOf:
// a village a reorganisation moved later is still its former commune's).
func (s *Service) ResidentialUnitsOf(ctx context.Context, code string) ([]domain.ResidentialUnit, error) {
	o, err := s.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	on := s.DefaultAsOf(ctx)
	return s.store.ResidentialUnitsOn(ctx, s.pathOn(ctx, o, on), on)
}

// Schools lists the schools under the organization on the date pages open
// on (DefaultAsOf) with their enrolment in the school year that starts in
// schoolYear.
func (s *Service) Schools(ctx context.Context, code string, schoolYear int) ([]domain.SchoolRow, error) {
	o, err := s.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	on := s.DefaultAsOf(ctx)
	return s.store.Schools(ctx, s.pathOn(ctx, o, on), schoolYear, on)
}

// pathOn is the unit's path in the tree of day d (its current one when it
// did not exist then).
func (s *Service) pathOn(ctx context.Context, o *domain.Org, d time.Time) string {
	if _, at, err := s.store.PlaceOn(ctx, o.ID, d); err == nil {
		return at
	}
	return o.Path
}

// scopePathOn is the path of the user's scope in the tree of day d: the
// user's unit's place then ("/" for a user of the whole system).
func (s *Service) scopePathOn(ctx context.Context, me *domain.User, d time.Time) string {
	if me.OrgID == 0 {
		return scopePath(me)
	}
	return s.pathOn(ctx, &domain.Org{ID: me.OrgID, Path: scopePath(me)}, d)
}

// AddResidentialUnit adds a village or residential group to a commune.
func (s *Service) AddResidentialUnit(ctx context.Context, communeCode string, u domain.ResidentialUnit, chapterCode string) (*domain.ResidentialUnit, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanWrite("org") {
		return nil, cannotWrite(me)
	}
	commune, err := s.orgIn(ctx, me, communeCode, "commune")
	if err != nil {
		return nil, err
	}
	if _, ok := domain.ResidentialKinds[u.Kind]; !ok {
		return nil, domain.FieldError("kind", "Loại %q không hợp lệ (thon, buon, to_dan_pho)", u.Kind)
	}
	if err := domain.ValidateCode(u.Code); err != nil {
		return nil, err
	}
	if u.Name == "" {
		return nil, domain.FieldError("name", "Tên thôn, buôn, tổ dân phố không được để trống")
	}
	u.CommuneID, u.ChapterID = commune.ID, 0
	if chapterCode != "" {
		ch, err := s.orgIn(ctx, me, chapterCode, "chapter")
		if err != nil {
			return nil, err
		}
		if !commune.Contains(ch) {
			return nil, domain.FieldError("chapter", "Chi bộ %s không thuộc %s", ch.Name, commune.Name)
		}
		u.ChapterID = ch.ID
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateResidentialUnit(ctx, &u); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "create", "residential_unit", u.ID, map[string]any{"code": u.Code, "name": u.Name})
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// AuthorityView is an admission-authority record with the deciding body.
type AuthorityView struct {
	domain.Authority
	Org     *domain.Org // the organization the record belongs to
	Decider *domain.Org
}

// AuthorityOn returns who decides admissions for candidates under the
// organization on date d (its own record or the nearest ancestor's), nil
// when none is recorded.
func (s *Service) AuthorityOn(ctx context.Context, code string, d time.Time) (*AuthorityView, error) {
	o, err := s.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	a, err := s.store.AuthorityOn(ctx, o, d)
	if err != nil || a == nil {
		return nil, err
	}
	return s.authorityView(ctx, *a)
}

// Authorities lists the organization's own authority records, newest first.
func (s *Service) Authorities(ctx context.Context, code string) ([]*AuthorityView, error) {
	o, err := s.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	list, err := s.store.Authorities(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	out := make([]*AuthorityView, 0, len(list))
	for _, a := range list {
		v, err := s.authorityView(ctx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Service) authorityView(ctx context.Context, a domain.Authority) (*AuthorityView, error) {
	org, err := s.store.GetOrg(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	dec, err := s.store.GetOrg(ctx, a.DeciderID)
	if err != nil {
		return nil, err
	}
	return &AuthorityView{Authority: a, Org: org, Decider: dec}, nil
}
