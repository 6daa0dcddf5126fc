package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// orgForm is what the user typed in the organization form, kept as text
// so that a refused form comes back exactly as it was.
type orgForm struct {
	Code, Name, Kind, Sector string
	ValidFrom, ValidTo, Succ string
	YouthUnion               string // "1" has a Youth Union organisation, "0" none, "" the default of its kind and sector
	Version                  int64
}

var orgFields = []string{"code", "name", "kind", "sector", "valid_from", "valid_to", "successor", "youth_union"}

type orgFormView struct {
	New      bool
	Conflict bool        // someone else saved the unit meanwhile
	Parent   *domain.Org // the unit a child is added under
	Org      *domain.Org // the unit edited (as stored now)
	Crumbs   []*domain.Org
	Form     orgForm
	Errors   errs
	Kinds    []struct {
		Kind domain.OrgKind
		Name string
	}
	Sectors []struct {
		Sector domain.Sector
		Name   string
	}
}

func (h *Handler) renderOrgForm(w http.ResponseWriter, r *http.Request, status int, v orgFormView) error {
	v.Kinds, v.Sectors = domain.OrgKinds, domain.Sectors
	if v.Errors == nil {
		v.Errors = errs{}
	}
	var title string
	if v.New {
		title = "Thêm đơn vị trực thuộc " + v.Parent.Name
	} else {
		title = "Sửa thông tin " + v.Org.Name
	}
	return h.render(w, r, status, "org_form", title, "org", v)
}

func readOrgForm(r *http.Request) orgForm {
	f := orgForm{
		Code: strings.TrimSpace(r.PostForm.Get("code")), Name: r.PostForm.Get("name"),
		Kind: r.PostForm.Get("kind"), Sector: r.PostForm.Get("sector"),
		ValidFrom: r.PostForm.Get("valid_from"), ValidTo: r.PostForm.Get("valid_to"),
		Succ: strings.TrimSpace(r.PostForm.Get("successor")), YouthUnion: r.PostForm.Get("youth_union"),
	}
	f.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	return f
}

// input turns the form into the service's input, collecting parse errors.
func (f orgForm) input(e errs) service.OrgInput {
	in := service.OrgInput{Code: f.Code, Name: f.Name, Kind: domain.OrgKind(f.Kind), Sector: domain.Sector(f.Sector),
		Successor: f.Succ, Version: f.Version}
	in.ValidFrom = derefDate(e.date("valid_from", "Ngày thành lập", f.ValidFrom))
	in.ValidTo = e.date("valid_to", "Ngày giải thể", f.ValidTo)
	switch f.YouthUnion {
	case "1", "0":
		in.YouthUnion = new(f.YouthUnion == "1")
	case "":
	default:
		e["youth_union"] = "Chọn Có, Không hoặc theo khối"
	}
	return in
}

func (h *Handler) formOf(r *http.Request, o *domain.Org) (orgForm, error) {
	f := orgForm{Code: o.Code, Name: o.Name, Kind: string(o.Kind), Sector: string(o.Sector),
		ValidFrom: iso(o.ValidFrom), ValidTo: isoPtr(o.ValidTo), YouthUnion: "0", Version: o.Version}
	if o.YouthUnion {
		f.YouthUnion = "1"
	}
	if o.SuccessorID != 0 {
		m, err := h.svc.OrgsByIDs(r.Context(), []int64{o.SuccessorID})
		if err != nil {
			return f, err
		}
		if s := m[o.SuccessorID]; s != nil {
			f.Succ = s.Code
		}
	}
	return f, nil
}

func writeOrg(u *domain.User, name string) error {
	if !u.CanWrite("org") {
		return domain.Errorf(domain.EForbidden, "Vai trò %s không được phép thay đổi %s", domain.RoleName(u.Role), name)
	}
	return nil
}

// orgEditForm shows the edit form of a unit (GET /to-chuc/{code}/sua).
func (h *Handler) orgEditForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	o, err := h.svc.Org(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	if err := writeOrg(u, o.Name); err != nil {
		return err
	}
	crumbs, err := h.svc.Ancestors(r.Context(), o)
	if err != nil {
		return err
	}
	f, err := h.formOf(r, o)
	if err != nil {
		return err
	}
	return h.renderOrgForm(w, r, http.StatusOK, orgFormView{Org: o, Crumbs: crumbs, Form: f})
}

// orgEdit saves the edit form (POST /to-chuc/{code}/sua). A version
// conflict (409) keeps what the user typed and shows the stored values.
func (h *Handler) orgEdit(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	o, err := h.svc.Org(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	crumbs, err := h.svc.Ancestors(ctx, o)
	if err != nil {
		return err
	}
	f := readOrgForm(r)
	f.Code = o.Code
	v := orgFormView{Org: o, Crumbs: crumbs, Form: f, Errors: errs{}}
	in := f.input(v.Errors)
	if len(v.Errors) > 0 {
		return h.renderOrgForm(w, r, http.StatusUnprocessableEntity, v)
	}
	saved, err := h.svc.UpdateOrg(ctx, o.Code, in)
	if err != nil {
		if !isUserError(err) {
			return err
		}
		v.Errors.add(err, orgFields...)
		status := statusOf(err)
		if domain.ErrorCode(err) == domain.EConflict {
			// Offer to save over the newer version, which is shown beside.
			v.Form.Version = o.Version
			v.Conflict = true
		}
		return h.renderOrgForm(w, r, status, v)
	}
	h.flash(r, "Đã lưu "+saved.Name+".")
	http.Redirect(w, r, "/to-chuc/"+url.PathEscape(o.Code), http.StatusSeeOther)
	return nil
}

// orgAddForm shows the form for a new child unit (GET /to-chuc/{code}/them).
func (h *Handler) orgAddForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	parent, err := h.svc.Org(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	if err := writeOrg(u, parent.Name); err != nil {
		return err
	}
	crumbs, err := h.svc.Ancestors(r.Context(), parent)
	if err != nil {
		return err
	}
	today := h.svc.DefaultAsOf(r.Context())
	f := orgForm{Kind: string(domain.KindChapter), Sector: string(parent.Sector), ValidFrom: iso(today)}
	if parent.ValidFrom.After(today) {
		f.ValidFrom = iso(parent.ValidFrom)
	}
	return h.renderOrgForm(w, r, http.StatusOK, orgFormView{New: true, Parent: parent, Crumbs: crumbs, Form: f})
}

// orgAdd creates a child unit (POST /to-chuc/{code}/them).
func (h *Handler) orgAdd(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	parent, err := h.svc.Org(ctx, r.PathValue("code"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	crumbs, err := h.svc.Ancestors(ctx, parent)
	if err != nil {
		return err
	}
	f := readOrgForm(r)
	f.Code = strings.ToLower(f.Code)
	v := orgFormView{New: true, Parent: parent, Crumbs: crumbs, Form: f, Errors: errs{}}
	in := f.input(v.Errors)
	in.ParentCode = parent.Code
	if len(v.Errors) > 0 {
		return h.renderOrgForm(w, r, http.StatusUnprocessableEntity, v)
	}
	o, err := h.svc.CreateOrg(ctx, in)
	if err != nil {
		if !isUserError(err) {
			return err
		}
		v.Errors.add(err, orgFields...)
		return h.renderOrgForm(w, r, statusOf(err), v)
	}
	h.flash(r, "Đã thêm "+o.Name+" (mã "+o.Code+").")
	http.Redirect(w, r, "/to-chuc/"+url.PathEscape(o.Code), http.StatusSeeOther)
	return nil
}
