package service

import (
	"context"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// Org returns the organization with the code if the user may see it.
func (s *Service) Org(ctx context.Context, code string) (*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return s.orgIn(ctx, me, code, "")
}

// OrgByID returns the organization with the id if the user may see it.
func (s *Service) OrgByID(ctx context.Context, id int64) (*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	return s.orgByIDIn(ctx, me, id, "")
}

// OrgRefs returns the units with the ids, by id, for the codes and names
// that records name (a person's unit, a case's transfers, a class's
// organiser, a unit's parent and successor). The structure of the party is
// not personal data: the units are returned whether or not the user's
// subtree holds them. Unknown ids are left out.
func (s *Service) OrgRefs(ctx context.Context, ids ...int64) (map[int64]*domain.Org, error) {
	out := map[int64]*domain.Org{}
	seen := map[int64]bool{0: true}
	var want []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	orgs, err := s.store.OrgsByIDs(ctx, want)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		out[o.ID] = o
	}
	return out, nil
}

// HomeOrg is the organization a user's pages open on: their own, or for
// an admin of the whole system the first root.
func (s *Service) HomeOrg(ctx context.Context) (*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if me.OrgID != 0 {
		return s.store.GetOrg(ctx, me.OrgID)
	}
	roots, err := s.store.Roots(ctx)
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, domain.Errorf(domain.ENotFound, "Chưa có tổ chức nào. Hãy tạo tổ chức cấp trên cùng hoặc nạp dữ liệu mẫu (ketnap demo).")
	}
	return roots[0], nil
}

// Ancestors returns the chain from the top of the user's scope down to o
// (o included), for breadcrumbs.
func (s *Service) Ancestors(ctx context.Context, o *domain.Org) ([]*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	ids := store.PathIDs(o.Path)
	orgs, err := s.store.OrgsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*domain.Org{}
	for _, x := range orgs {
		byID[x.ID] = x
	}
	var out []*domain.Org
	for _, id := range ids {
		if x := byID[id]; x != nil && me.Sees(x.Path) {
			out = append(out, x)
		}
	}
	return out, nil
}

// Children returns the direct children of the organization open on asof
// (all of them when asof is zero), in Vietnamese name order.
func (s *Service) Children(ctx context.Context, code string, asof time.Time) (*domain.Org, []*domain.Org, error) {
	o, err := s.Org(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	kids, err := s.store.Children(ctx, o.ID, asof)
	if err != nil {
		return nil, nil, err
	}
	vn.SortByText(kids, func(o *domain.Org) string { return o.Name }, nil)
	return o, kids, nil
}

// SearchOrgs finds organizations in the user's subtree by name or code.
func (s *Service) SearchOrgs(ctx context.Context, query string, limit int) ([]*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	return s.store.SearchOrgs(ctx, scopePath(me), query, limit)
}

// OrgInput is what a user enters to create or edit an organization.
type OrgInput struct {
	Code       string
	Name       string
	Kind       domain.OrgKind
	Sector     domain.Sector
	ParentCode string
	ValidFrom  time.Time
	ValidTo    *time.Time
	Successor  string // code of the successor, "" for none
	// YouthUnion: the unit has a Youth Union organisation; nil keeps the
	// recorded answer, or for a new unit takes domain.DefaultYouthUnion.
	YouthUnion *bool
	Version    int64 // for edits: the version the user saw
}

func (s *Service) orgFromInput(ctx context.Context, me *domain.User, in OrgInput, o *domain.Org) error {
	o.Name = vn.Clean(in.Name)
	o.Kind, o.Sector = in.Kind, in.Sector
	o.ValidFrom, o.ValidTo = in.ValidFrom, in.ValidTo
	switch {
	case in.YouthUnion != nil:
		o.YouthUnion = *in.YouthUnion
	case o.ID == 0: // a new unit
		o.YouthUnion = domain.DefaultYouthUnion(o.Kind, o.Sector)
	}
	o.SuccessorID = 0
	if in.Successor != "" {
		succ, err := s.orgIn(ctx, me, in.Successor, "successor")
		if err != nil {
			return err
		}
		if succ.ID == o.ID {
			return errSelfSuccessor()
		}
		o.SuccessorID = succ.ID
	}
	if o.SuccessorID != 0 && o.ValidTo == nil {
		return errSuccessorNeedsClosing()
	}
	return o.Validate()
}

// CreateOrg adds an organization under a parent in the user's subtree.
func (s *Service) CreateOrg(ctx context.Context, in OrgInput) (*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanWrite("org") {
		return nil, cannotWrite(me)
	}
	o := &domain.Org{Code: in.Code}
	if in.ParentCode != "" {
		parent, err := s.orgIn(ctx, me, in.ParentCode, "parent")
		if err != nil {
			return nil, err
		}
		o.ParentID = parent.ID
		if err := foundedWithin(in.ValidFrom, parent); err != nil {
			return nil, err
		}
	} else if me.OrgPath != "" {
		return nil, errRootsByAdmin()
	}
	if err := s.orgFromInput(ctx, me, in, o); err != nil {
		return nil, err
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "create", "org", o.ID, map[string]any{"code": o.Code, "name": o.Name, "youth_union": o.YouthUnion})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// UpdateOrg edits an organization in the user's subtree. The code and the
// parent never change (restructuring closes the node and opens a successor).
func (s *Service) UpdateOrg(ctx context.Context, code string, in OrgInput) (*domain.Org, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanWrite("org") {
		return nil, cannotWrite(me)
	}
	o, err := s.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	before := *o
	if err := s.orgFromInput(ctx, me, in, o); err != nil {
		return nil, err
	}
	if err := s.checkValidity(ctx, o); err != nil {
		return nil, err
	}
	o.Version = in.Version
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateOrg(ctx, o); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "update", "org", o.ID, map[string]any{"before": before.Name, "after": o.Name,
			"valid_to": o.ValidTo, "successor": in.Successor, "youth_union": o.YouthUnion})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// checkValidity keeps the tree whole over time: a unit lives within its
// parent's life, and cannot close while a child outlives it (the child's
// admissions would then roll up nowhere).
func (s *Service) checkValidity(ctx context.Context, o *domain.Org) error {
	if o.ParentID != 0 {
		parent, err := s.store.GetOrg(ctx, o.ParentID)
		if err != nil {
			return err
		}
		if err := foundedWithin(o.ValidFrom, parent); err != nil {
			return err
		}
		if parent.ValidTo != nil && (o.ValidTo == nil || o.ValidTo.After(*parent.ValidTo)) {
			return domain.FieldError("valid_to", "%s đã giải thể từ ngày %s: đơn vị trực thuộc phải giải thể cùng hoặc trước ngày đó", parent.Name, vn.Date(*parent.ValidTo))
		}
	}
	if o.ValidTo == nil {
		return nil
	}
	kids, err := s.store.Children(ctx, o.ID, time.Time{})
	if err != nil {
		return err
	}
	var open []string
	for _, k := range kids {
		if k.ValidTo == nil || k.ValidTo.After(*o.ValidTo) {
			open = append(open, k.Name)
		}
	}
	if len(open) > 0 {
		return domain.FieldError("valid_to", "Chưa thể giải thể %s từ ngày %s: còn %d đơn vị trực thuộc hoạt động sau ngày đó (%s). Hãy giải thể hoặc chuyển các đơn vị này trước.",
			o.Name, vn.Date(*o.ValidTo), len(open), strings.Join(open[:min(len(open), 3)], ", "))
	}
	return nil
}

// SetAuthority records which body decides admissions under an organization
// from a date. Only the level above the unit records it: a user whose
// subtree strictly contains the unit (never the unit's own organizer), or
// an admin of the whole system. It applies from today or later; only an
// admin of the whole system records an earlier date, giving the reason,
// which goes into the audit record.
func (s *Service) SetAuthority(ctx context.Context, code string, a domain.Authority, deciderCode, reason string) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite("org") {
		return cannotWrite(me)
	}
	o, err := s.orgIn(ctx, me, code, "")
	if err != nil {
		return err
	}
	if err := mayRecordAuthority(me, o); err != nil {
		return err
	}
	decider, err := s.deciderIn(ctx, me, o, deciderCode, "decider")
	if err != nil {
		return err
	}
	if !decider.Contains(o) {
		return errDeciderOutside(o, decider)
	}
	if a.Authorised {
		if err := mayAuthorise(me, decider); err != nil {
			return err
		}
	}
	if a.ValidFrom.IsZero() {
		return domain.FieldError("valid_from", "Cần ngày bắt đầu áp dụng")
	}
	reason = vn.Clean(reason)
	if err := authorityFromOK(me, a.ValidFrom, s.DefaultAsOf(ctx), reason); err != nil {
		return err
	}
	a.OrgID, a.DeciderID = o.ID, decider.ID
	detail := map[string]any{"decider": decider.Code, "from": a.ValidFrom}
	if reason != "" {
		detail["reason"] = reason
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetAuthority(ctx, &a); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "authority", "org", o.ID, detail)
	})
}

// sysAdmin reports whether the user is an admin of the whole system.
func sysAdmin(me *domain.User) bool { return me.Role == domain.RoleAdmin && me.OrgPath == "" }

// mayRecordAuthority refuses the admission authority of o to a user whose
// subtree does not strictly contain o: a unit's own organizers do not
// choose who admits under it (issue 13).
func mayRecordAuthority(me *domain.User, o *domain.Org) error {
	if me.OrgPath == "" {
		return nil
	}
	if !me.Sees(o.Path) {
		return outOfScope("")
	}
	if o.Path == me.OrgPath {
		return domain.Errorf(domain.EForbidden, "Cấp quyết định kết nạp của %s do cấp ủy cấp trên (hoặc quản trị hệ thống) ghi, không do chính đơn vị này ghi", o.Name)
	}
	return nil
}

// mayAuthorise refuses to record dec as an authorised grassroots committee
// unless the user's subtree strictly contains it: the authorisation is
// given from above the committee.
func mayAuthorise(me *domain.User, dec *domain.Org) error {
	if me.OrgPath != "" && (!me.Sees(dec.Path) || dec.Path == me.OrgPath) {
		return domain.FieldError("authorised", "Việc ủy quyền quyết định kết nạp cho %s do cấp ủy cấp trên của đơn vị này (hoặc quản trị hệ thống) ghi", dec.Name)
	}
	return nil
}

// authorityFromOK refuses an admission authority applying from before
// today, but for an admin of the whole system who gives a reason.
func authorityFromOK(me *domain.User, from, today time.Time, reason string) error {
	if !from.Before(today) {
		return nil
	}
	if !sysAdmin(me) {
		return domain.FieldError("valid_from", "Cấp quyết định kết nạp chỉ ghi được từ hôm nay (%s) trở đi; ghi lùi về ngày %s chỉ do quản trị hệ thống thực hiện, kèm lý do",
			vn.Date(today), vn.Date(from))
	}
	if reason == "" {
		return domain.FieldError("reason", "Ghi cấp quyết định kết nạp áp dụng từ ngày đã qua (%s) cần ghi lý do", vn.Date(from))
	}
	return nil
}

// deciderIn finds the deciding body of o named by code: a unit of the
// user's subtree, or one of o's ancestors above it (whose names the user
// reads on o's page anyway). Anything else, and an unknown code, is the
// one out-of-scope answer for a user bound to a unit.
func (s *Service) deciderIn(ctx context.Context, me *domain.User, o *domain.Org, code, field string) (*domain.Org, error) {
	dec, err := s.store.GetOrgByCode(ctx, code)
	if err == nil && dec.Contains(o) {
		return dec, nil
	}
	var path string
	if dec != nil {
		path = dec.Path
	}
	if err := reach(me, field, err, path); err != nil {
		return nil, err
	}
	return dec, nil
}

// The rules of a unit's place in the tree, shared by the forms, the API
// and the import (one message each).

func errSelfSuccessor() error {
	return domain.FieldError("successor", "Tổ chức không thể kế thừa chính nó")
}

func errSuccessorNeedsClosing() error {
	return domain.FieldError("valid_to", "Tổ chức có đơn vị kế thừa phải có ngày giải thể hoặc sáp nhập")
}

func errRootsByAdmin() error {
	return domain.Errorf(domain.EForbidden, "Chỉ quản trị hệ thống mới tạo được tổ chức cấp trên cùng")
}

// foundedWithin refuses a unit founded before its parent.
func foundedWithin(from time.Time, parent *domain.Org) error {
	if from.Before(parent.ValidFrom) {
		return domain.FieldError("valid_from", "Ngày thành lập không được trước ngày thành lập của %s (%s)", parent.Name, vn.Date(parent.ValidFrom))
	}
	return nil
}

// errDeciderOutside is the error for a deciding body that is neither the
// unit o nor one of its ancestors.
func errDeciderOutside(o, dec *domain.Org) error {
	return domain.FieldError("decider", "Cấp quyết định kết nạp của %s phải là chính tổ chức hoặc cấp trên của nó; %s thì không", o.Name, dec.Name)
}

// errNotGrassroots is the error for an authorised decider that is not a
// grassroots committee (DOMAIN §2).
func errNotGrassroots(dec *domain.Org) error {
	return domain.FieldError("authorised", "Chỉ đảng ủy cơ sở mới được ủy quyền quyết định kết nạp; %s không phải đảng ủy cơ sở", dec.Name)
}
