package service

// Read-only helpers the server-rendered pages (internal/web) need to show
// names instead of ids. Owned by internal/web's authors.

import (
	"context"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// OrgsByIDs returns, keyed by id, the organizations with the ids that the
// user may see; ids outside the user's subtree or unknown are left out.
func (s *Service) OrgsByIDs(ctx context.Context, ids []int64) (map[int64]*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var want []int64
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	out := make(map[int64]*domain.Org, len(want))
	if len(want) == 0 {
		return out, nil
	}
	orgs, err := s.store.OrgsByIDs(ctx, want)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if me.Sees(o.Path) {
			out[o.ID] = o
		}
	}
	return out, nil
}

// ResidentialUnits lists the villages and residential groups (thôn, buôn,
// tổ dân phố) a user picks a person's residence from: those of the
// communes in the user's subtree, or, for a user bound below a commune
// (a chapter), those of the nearest organization above that has any.
func (s *Service) ResidentialUnits(ctx context.Context) ([]domain.ResidentialUnit, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if me.OrgPath == "" {
		return s.store.ResidentialUnits(ctx, "/")
	}
	ids := store.PathIDs(me.OrgPath)
	for i := len(ids) - 1; i >= 0; i-- {
		o, err := s.store.GetOrg(ctx, ids[i])
		if err != nil {
			return nil, err
		}
		units, err := s.store.ResidentialUnits(ctx, o.Path)
		if err != nil {
			return nil, err
		}
		if len(units) > 0 {
			return units, nil
		}
	}
	return nil, nil
}
