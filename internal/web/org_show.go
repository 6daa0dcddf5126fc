package web

import (
	"net/http"
	"net/url"
	"time"

	"ketnap/internal/domain"
)

type orgShowView struct {
	Org       *domain.Org
	Crumbs    []*domain.Org
	Children  []*domain.Org
	Successor *domain.Org
	Today     time.Time
	Year      int
	CanWrite  bool
}

// orgHome opens the user's own organization (GET /to-chuc).
func (h *Handler) orgHome(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	home, err := h.svc.HomeOrg(r.Context())
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/to-chuc/"+url.PathEscape(home.Code), http.StatusSeeOther)
	return nil
}

// orgShow shows a unit, its children and links to its people and targets
// (GET /to-chuc/{code}).
func (h *Handler) orgShow(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	o, kids, err := h.svc.Children(ctx, r.PathValue("code"), time.Time{})
	if err != nil {
		return err
	}
	crumbs, err := h.svc.Ancestors(ctx, o)
	if err != nil {
		return err
	}
	today := h.svc.DefaultAsOf(ctx)
	v := orgShowView{Org: o, Crumbs: crumbs, Children: kids, Today: today, Year: h.svc.DefaultAsOf(ctx).Year(),
		CanWrite: u.CanWrite("org")}
	if o.SuccessorID != 0 {
		m, err := h.svc.OrgsByIDs(ctx, []int64{o.SuccessorID})
		if err != nil {
			return err
		}
		v.Successor = m[o.SuccessorID]
	}
	return h.render(w, r, http.StatusOK, "org_show", o.Name, "org", v)
}
