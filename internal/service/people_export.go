package service

import (
	"context"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// EachPerson streams the people the list People would show for q, every
// page of it in one scoped query, in the same order: the user's subtree
// (or the organization q.OrgCode, which must be in it), the stages and the
// search of q. fn receives each person with their organization's name;
// limit > 0 caps the rows. q.Page and q.PerPage are ignored.
func (s *Service) EachPerson(ctx context.Context, q PeopleQuery, limit int, fn func(p *domain.Person, unit string) error) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	f := store.PersonFilter{Path: scopePath(me), Stages: q.Stages, Query: q.Query, Limit: max(limit, 0)}
	if q.OrgCode != "" {
		o, err := s.Org(ctx, q.OrgCode)
		if err != nil {
			return err
		}
		f.Path = o.Path
		if q.Direct {
			f.OrgID = o.ID
		}
	}
	for _, st := range q.Stages {
		if domain.StageName(st) == st {
			return domain.FieldError("stage", "Giai đoạn %q không hợp lệ", st)
		}
	}
	return s.store.EachPerson(ctx, f, fn)
}
