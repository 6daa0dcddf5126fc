package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
)

// What the import's templates and exports write (internal/importer): the
// units and residential units a template's drop-downs offer, and the
// organizations and targets written on the template of their kind so that
// a unit can edit them in Excel and import the file back.

// ImportLists returns what a template's drop-downs offer the user: the
// units of their subtree open today (parents before children) and the
// residential units of the communes in it.
func (s *Service) ImportLists(ctx context.Context) ([]*domain.Org, []domain.ResidentialUnit, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, nil, err
	}
	orgs, err := s.store.Subtree(ctx, scopePath(me), s.DefaultAsOf(ctx))
	if err != nil {
		return nil, nil, err
	}
	places, err := s.store.ResidentialUnits(ctx, scopePath(me))
	if err != nil {
		return nil, nil, err
	}
	return orgs, places, nil
}

// OrgExport is an organization as an organizations file writes it, with
// the codes of the units it refers to ("" for none).
type OrgExport struct {
	Org       *domain.Org
	Parent    string
	Successor string
	// Authority is the organization's latest own admission-authority
	// record (the older ones stay as they are), nil when it has none;
	// Decider is the code of its deciding body.
	Authority *domain.Authority
	Decider   string
}

// ExportOrgs returns the organizations under the unit with the code (the
// user's home unit when ""), closed ones included, parents before children.
func (s *Service) ExportOrgs(ctx context.Context, code string) ([]OrgExport, error) {
	root, err := s.exportRoot(ctx, code)
	if err != nil {
		return nil, err
	}
	orgs, err := s.store.Subtree(ctx, root.Path, time.Time{})
	if err != nil {
		return nil, err
	}
	codes := map[int64]string{}
	for _, o := range orgs {
		codes[o.ID] = o.Code
	}
	codeOf := func(id int64) (string, error) {
		if c, ok := codes[id]; ok || id == 0 {
			return c, nil
		}
		o, err := s.store.GetOrg(ctx, id) // a parent, successor or decider outside the subtree
		if err != nil {
			return "", err
		}
		codes[id] = o.Code
		return o.Code, nil
	}
	out := make([]OrgExport, len(orgs))
	for i, o := range orgs {
		x := OrgExport{Org: o}
		as, err := s.store.Authorities(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		if len(as) > 0 {
			x.Authority = &as[0]
		}
		for _, ref := range []struct {
			to *string
			id int64
		}{{&x.Parent, o.ParentID}, {&x.Successor, o.SuccessorID}, {&x.Decider, authorityDecider(x.Authority)}} {
			if *ref.to, err = codeOf(ref.id); err != nil {
				return nil, err
			}
		}
		out[i] = x
	}
	return out, nil
}

func authorityDecider(a *domain.Authority) int64 {
	if a == nil {
		return 0
	}
	return a.DeciderID
}

// ExportTargets returns the units under the unit with the code (the
// user's home unit when ""), parents before children, and the targets of
// the year recorded for them.
func (s *Service) ExportTargets(ctx context.Context, code string, year int) ([]*domain.Org, []*domain.Target, error) {
	root, err := s.exportRoot(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	if year < 1930 || year > 2200 {
		return nil, nil, domain.FieldError("year", "Năm %d không hợp lệ", year)
	}
	orgs, err := s.store.Subtree(ctx, root.Path, time.Time{})
	if err != nil {
		return nil, nil, err
	}
	ts, err := s.store.Targets(ctx, root.Path, year)
	if err != nil {
		return nil, nil, err
	}
	return orgs, ts, nil
}

// exportRoot is the unit an export starts from, in the user's subtree.
func (s *Service) exportRoot(ctx context.Context, code string) (*domain.Org, error) {
	if code != "" {
		return s.Org(ctx, code)
	}
	return s.HomeOrg(ctx)
}
