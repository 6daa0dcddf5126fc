package service

import (
	"context"

	"ketnap/internal/domain"
)

// Every id or code a user names (in a path, a query or a request body) is
// looked up here (issue 13, item 3). For a user bound to a unit, a record
// outside their subtree and a record that does not exist get the same
// answer: a 403 with one message that names nothing, so that nobody can
// learn from it whether an id exists or whose it is. A system admin sees
// every record: an unknown one is a 404 with its own message.

// msgOutOfScope is that one message.
const msgOutOfScope = "Không truy cập được: mục bạn yêu cầu không có hoặc nằm ngoài phạm vi được giao cho tài khoản của bạn"

// outOfScope is the answer for an id or code outside the user's subtree
// (or unknown, for a user bound to a unit); field names the input, "" for
// the path.
func outOfScope(field string) error {
	return &domain.Error{Code: domain.EForbidden, Field: field, Message: msgOutOfScope}
}

// reach judges a lookup by id or code for the user: err is the lookup's
// error, path the path of the unit holding what it found. It returns nil
// when the user may reach it.
func reach(me *domain.User, field string, err error, path string) error {
	if err != nil {
		if me.OrgPath != "" && domain.ErrorCode(err) == domain.ENotFound {
			return outOfScope(field)
		}
		return err
	}
	if !me.Sees(path) {
		return outOfScope(field)
	}
	return nil
}

// hidden turns a not-found error into the out-of-scope answer for a user
// bound to a unit (for lookups whose scope test is their own).
func hidden(me *domain.User, field string, err error) error {
	if err != nil && me.OrgPath != "" && domain.ErrorCode(err) == domain.ENotFound {
		return outOfScope(field)
	}
	return err
}

// orgIn returns the unit with the code if the user's subtree holds it.
func (s *Service) orgIn(ctx context.Context, me *domain.User, code, field string) (*domain.Org, error) {
	o, err := s.store.GetOrgByCode(ctx, code)
	var path string
	if err == nil {
		path = o.Path
	}
	if err := reach(me, field, err, path); err != nil {
		return nil, err
	}
	return o, nil
}

// orgByIDIn returns the unit with the id if the user's subtree holds it.
func (s *Service) orgByIDIn(ctx context.Context, me *domain.User, id int64, field string) (*domain.Org, error) {
	o, err := s.store.GetOrg(ctx, id)
	var path string
	if err == nil {
		path = o.Path
	}
	if err := reach(me, field, err, path); err != nil {
		return nil, err
	}
	return o, nil
}

// personIn returns the person with the id and the path of their unit if
// the user's subtree holds them.
func (s *Service) personIn(ctx context.Context, me *domain.User, id int64, field string) (*domain.Person, string, error) {
	p, path, err := s.store.GetPerson(ctx, id)
	if err := reach(me, field, err, path); err != nil {
		return nil, "", err
	}
	return p, path, nil
}

// caseIn returns the case with the id and the path of its chapter if the
// user's subtree holds it.
func (s *Service) caseIn(ctx context.Context, me *domain.User, id int64, field string) (*domain.Case, string, error) {
	c, path, err := s.store.GetCase(ctx, id)
	if err := reach(me, field, err, path); err != nil {
		return nil, "", err
	}
	return c, path, nil
}

// orgField is orgIn for the signed-in user, for a code given in the
// input field.
func (s *Service) orgField(ctx context.Context, code, field string) (*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return s.orgIn(ctx, me, code, field)
}
