package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// personForm is what the user typed in the person form, as text.
type personForm struct {
	FullName, BirthDate, Sex, Ethnicity, Religion, CCCD string
	Education, Occupation, Residence, Workplace         string
	YouthUnion, TradeUnion                              bool
	ClearCCCD                                           bool   // remove the stored number
	StoredCCCD                                          string // masked, when editing a person who has one
	Org, Stage                                          string
	Version                                             int64
}

var personFields = []string{"full_name", "birth_date", "sex", "ethnicity", "religion", "cccd", "education",
	"occupation", "residence", "workplace", "org", "stage"}

type personFormView struct {
	ID          int64 // 0 for a new person
	Name        string
	Form        personForm
	Errors      errs
	Ethnicities []vn.Ethnicity
	Religions   []vn.Religion
	Educations  codeNames
	Occupations codeNames
	Residences  []residenceGroup
}

type residenceOption struct {
	ID   string
	Name string
}

// residenceGroup is a commune's villages and residential groups, one
// <optgroup> of the residence list ("Thôn 1" is in many communes).
type residenceGroup struct {
	Label   string // "Xã Ea Phê"
	Options []residenceOption
}

// communeLabel names a commune after its party committee: "Đảng bộ xã Ea
// Phê" → "Xã Ea Phê".
func communeLabel(org string) string {
	for _, p := range []string{"Đảng bộ ", "Đảng ủy ", "Chi bộ "} {
		if rest, ok := strings.CutPrefix(org, p); ok && rest != "" {
			r := []rune(rest)
			return strings.ToUpper(string(r[0])) + string(r[1:])
		}
	}
	return org
}

func (h *Handler) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, v personFormView) error {
	ctx := r.Context()
	v.Ethnicities, v.Religions = vn.Ethnicities(), vn.Religions()
	v.Educations, v.Occupations = domain.EducationLevels, domain.Occupations
	if v.Errors == nil {
		v.Errors = errs{}
	}
	units, err := h.svc.ResidentialUnits(ctx)
	if err != nil {
		return err
	}
	communes := map[int64]string{}
	var ids []int64
	for _, u := range units {
		ids = append(ids, u.CommuneID)
	}
	orgs, err := h.svc.OrgsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	for id, o := range orgs {
		communes[id] = communeLabel(o.Name)
	}
	group := map[int64]int{} // commune id → index in v.Residences
	for _, u := range units {
		i, ok := group[u.CommuneID]
		if !ok {
			i = len(v.Residences)
			group[u.CommuneID] = i
			v.Residences = append(v.Residences, residenceGroup{Label: communes[u.CommuneID]})
		}
		v.Residences[i].Options = append(v.Residences[i].Options, residenceOption{ID: strconv.FormatInt(u.ID, 10), Name: residenceName(u)})
	}
	slices.SortStableFunc(v.Residences, func(a, b residenceGroup) int { return vn.Compare(a.Label, b.Label) })
	title := "Thêm người mới"
	if v.ID != 0 {
		title = "Sửa hồ sơ " + v.Name
	}
	return h.render(w, r, status, "person_form", title, "people", v)
}

func readPersonForm(r *http.Request) personForm {
	pf := r.PostForm
	f := personForm{
		FullName: pf.Get("full_name"), BirthDate: pf.Get("birth_date"), Sex: pf.Get("sex"),
		Ethnicity: pf.Get("ethnicity"), Religion: pf.Get("religion"), CCCD: pf.Get("cccd"),
		Education: pf.Get("education"), Occupation: pf.Get("occupation"), Residence: pf.Get("residence"),
		Workplace: pf.Get("workplace"), YouthUnion: pf.Get("youth_union") != "", TradeUnion: pf.Get("trade_union") != "",
		ClearCCCD: pf.Get("clear_cccd") != "",
		Org:       strings.TrimSpace(pf.Get("org")), Stage: pf.Get("stage"),
	}
	f.Version, _ = strconv.ParseInt(pf.Get("version"), 10, 64)
	return f
}

// input turns the form into the service's input, collecting parse errors.
func (f personForm) input(e errs) service.PersonInput {
	in := service.PersonInput{FullName: f.FullName, Sex: f.Sex, Ethnicity: f.Ethnicity, Religion: f.Religion,
		CCCD: f.CCCD, Education: f.Education, Occupation: f.Occupation, Workplace: f.Workplace,
		YouthUnion: f.YouthUnion, TradeUnion: f.TradeUnion, OrgCode: f.Org, Stage: f.Stage, Version: f.Version}
	in.BirthDate = derefDate(e.date("birth_date", "Ngày sinh", f.BirthDate))
	if f.Residence != "" {
		id, err := strconv.ParseInt(f.Residence, 10, 64)
		if err != nil || id < 0 {
			e["residence"] = "Nơi cư trú không hợp lệ"
		}
		in.ResidenceID = id
	}
	if f.Org == "" {
		e["org"] = "Cần mã đơn vị (chi bộ) của người này"
	}
	return in
}

func personFormOf(p *domain.Person, org *domain.Org) personForm {
	f := personForm{FullName: p.FullName, BirthDate: iso(p.BirthDate), Sex: p.Sex, Ethnicity: p.Ethnicity,
		Religion: p.Religion, StoredCCCD: vn.MaskCCCD(p.CCCD), Education: p.Education, Occupation: p.Occupation,
		Workplace: p.Workplace, YouthUnion: p.YouthUnion, TradeUnion: p.TradeUnion, Org: org.Code,
		Stage: p.Stage, Version: p.Version}
	if p.ResidenceID != 0 {
		f.Residence = strconv.FormatInt(p.ResidenceID, 10)
	}
	return f
}

func writePeople(u *domain.User) error {
	if !u.CanWrite("people") {
		return domain.Errorf(domain.EForbidden, "Vai trò %s không được phép thêm hoặc sửa hồ sơ", domain.RoleName(u.Role))
	}
	return nil
}

// personNewForm shows the form for a new person (GET /nguoi/moi?org=).
func (h *Handler) personNewForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := writePeople(u); err != nil {
		return err
	}
	f := personForm{Ethnicity: vn.KinhCode, Religion: vn.ReligionNone, Education: "upper_secondary",
		Occupation: "other", Stage: domain.StageSource, Org: r.URL.Query().Get("org")}
	if f.Org == "" && u.OrgID != 0 {
		if home, err := h.svc.HomeOrg(r.Context()); err == nil {
			f.Org = home.Code
		}
	}
	return h.renderPersonForm(w, r, http.StatusOK, personFormView{Form: f})
}

// personCreate adds a person (POST /nguoi/moi); a refused form comes back
// with the messages next to the fields and what the user typed.
func (h *Handler) personCreate(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := personFormView{Form: readPersonForm(r), Errors: errs{}}
	if v.Form.Stage == "" {
		v.Form.Stage = domain.StageSource // a new person is a source
	}
	in := v.Form.input(v.Errors)
	if len(v.Errors) > 0 {
		return h.personFormError(w, r, v, h.svc.CheckPerson(r.Context(), in))
	}
	p, err := h.svc.CreatePerson(r.Context(), in)
	if err != nil {
		return h.personFormError(w, r, v, err)
	}
	h.flash(r, "Đã thêm "+p.FullName+".")
	http.Redirect(w, r, "/nguoi/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	return nil
}

// personFormError shows a form refused by the service, or the error page
// for anything that is not about the input.
func (h *Handler) personFormError(w http.ResponseWriter, r *http.Request, v personFormView, err error) error {
	if err == nil { // only what the form itself could not read
		return h.renderPersonForm(w, r, http.StatusUnprocessableEntity, v)
	}
	code := domain.ErrorCode(err)
	if code == domain.ENotFound && fieldOf(err) == "" {
		// An unknown unit code typed in the form.
		v.Errors["org"] = domain.ErrorMessage(err)
		return h.renderPersonForm(w, r, http.StatusUnprocessableEntity, v)
	}
	if !isUserError(err) {
		return err
	}
	v.Errors.addAll(err, personFields...)
	status := statusOf(err)
	if len(v.Errors) > 0 && status < http.StatusBadRequest {
		status = http.StatusUnprocessableEntity
	}
	return h.renderPersonForm(w, r, status, v)
}

// personEditForm shows a person's form (GET /nguoi/{id}/sua).
func (h *Handler) personEditForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := writePeople(u); err != nil {
		return err
	}
	id, err := personID(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Person(r.Context(), id, false)
	if err != nil {
		return err
	}
	return h.renderPersonForm(w, r, http.StatusOK, personFormView{ID: id, Name: p.FullName, Form: personFormOf(p.Person, p.Org)})
}

// personUpdate saves a person's form (POST /nguoi/{id}/sua).
func (h *Handler) personUpdate(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := personID(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Person(r.Context(), id, false)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	v := personFormView{ID: id, Name: p.FullName, Form: readPersonForm(r), Errors: errs{}}
	v.Form.StoredCCCD = vn.MaskCCCD(p.CCCD)
	posted := v.Form.Stage // the form has none; a different one is refused (422)
	v.Form.Stage = p.Stage
	in := v.Form.input(v.Errors)
	in.Stage = posted
	if len(v.Errors) > 0 {
		in.Stage = p.Stage
		return h.personFormError(w, r, v, h.svc.CheckPerson(r.Context(), in))
	}
	// The stored number is never sent to the browser: an empty field keeps it.
	if strings.TrimSpace(in.CCCD) == "" && !v.Form.ClearCCCD {
		in.CCCD = p.CCCD
	}
	saved, err := h.svc.UpdatePerson(r.Context(), id, in)
	if err != nil {
		if domain.ErrorCode(err) == domain.EConflict && fieldOf(err) == "" {
			// Someone saved the record meanwhile: keep what was typed and
			// let the user save over the newer version.
			v.Form.Version = p.Version
		}
		return h.personFormError(w, r, v, err)
	}
	h.flash(r, "Đã lưu hồ sơ "+saved.FullName+".")
	http.Redirect(w, r, "/nguoi/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
