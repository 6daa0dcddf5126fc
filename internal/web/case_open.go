package web

import (
	"net/http"
	"strconv"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// Opening a person's admission case (from the person's page): the day
// the chapter put them on the list of sources, the helper, the facts the
// rules need; for a former member, the re-admission facts.

// readmissionGrounds are why a former member left, in Vietnamese (QĐ294 §3.5).
var readmissionGrounds = codeNames{
	{Code: string(rules.GroundStruckOff), Name: "Bị xóa tên"},
	{Code: string(rules.GroundExpelled), Name: "Bị khai trừ"},
	{Code: string(rules.GroundResignedHardship), Name: "Xin ra khỏi Đảng vì hoàn cảnh gia đình đặc biệt khó khăn"},
	{Code: string(rules.GroundMinorConviction), Name: "Bị kết án về tội ít nghiêm trọng"},
	{Code: string(rules.GroundPopulationPolicy), Name: "Vi phạm chính sách dân số, kế hoạch hóa gia đình"},
	{Code: string(rules.GroundAbandoned), Name: "Tự bỏ sinh hoạt đảng"},
	{Code: string(rules.GroundResigned), Name: "Tự nguyện xin ra khỏi Đảng"},
	{Code: string(rules.GroundDisunity), Name: "Gây mất đoàn kết nội bộ nghiêm trọng"},
	{Code: string(rules.GroundCorruption), Name: "Bị kết án về tội tham nhũng"},
	{Code: string(rules.GroundSeriousCrime), Name: "Bị kết án về tội nghiêm trọng trở lên"},
}

// canOpenCase reports whether the person may get a new case from the page:
// a source, a candidate without a case, or a former member; none open.
func canOpenCase(u *domain.User, p *domain.Person, cases []*domain.Case) bool {
	if !mayChapter(u) {
		return false
	}
	for _, c := range cases {
		if !c.Closed() {
			return false
		}
	}
	switch p.Stage {
	case domain.StageSource, domain.StageCandidate, domain.StageStruckOff, domain.StageLeft:
		return true
	}
	return false
}

type caseOpenView struct {
	P           *service.PersonView
	Readmission bool
	Members     []*domain.Person
	Choices     []memberChoice // the members of an ambiguous name typed
	Grounds     codeNames
	Form        map[string]string
	Errors      errs
}

// Val is a field's value as typed (or its default).
func (v *caseOpenView) Val(field string) string { return v.Form[field] }

var caseOpenFields = []string{"opened_on", "helper_id", "other_id", "other_name", "left_on", "ground", "record_cleared", "readmission", "person_id"}

// caseOpenForm shows the form (GET /nguoi/{id}/mo-ho-so).
func (h *Handler) caseOpenForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := personID(r)
	if err != nil {
		return err
	}
	v, err := h.caseOpenView(r, u, id)
	if err != nil {
		return err
	}
	v.Form["opened_on"] = iso(h.svc.DefaultAsOf(r.Context()))
	if v.P.Org != nil && v.P.Org.YouthUnion { // the unit's record, which the form may correct for this case
		v.Form["youth_union_exists"] = "1"
	}
	return h.render(w, r, http.StatusOK, "case_open", "Lập hồ sơ kết nạp: "+v.P.FullName, "cases", v)
}

func (h *Handler) caseOpenView(r *http.Request, u *domain.User, id int64) (*caseOpenView, error) {
	ctx := r.Context()
	p, err := h.svc.Person(ctx, id, false)
	if err != nil {
		return nil, err
	}
	cases, err := h.svc.PersonCases(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canOpenCase(u, p.Person, cases) {
		return nil, domain.Errorf(domain.EConflict, "Không lập được hồ sơ kết nạp mới cho %s (%s): người này đang có hồ sơ đang xét, hoặc không phải quần chúng, hoặc vai trò của bạn không được ghi",
			p.FullName, domain.StageName(p.Stage))
	}
	v := &caseOpenView{P: p, Readmission: p.Stage == domain.StageStruckOff || p.Stage == domain.StageLeft, Grounds: readmissionGrounds,
		Form: map[string]string{}, Errors: errs{}}
	res, err := h.svc.People(ctx, service.PeopleQuery{OrgCode: p.Org.Code, Stages: []string{domain.StageOfficial}, PerPage: 200})
	if err != nil {
		return nil, err
	}
	v.Members = res.People
	return v, nil
}

// caseOpen opens the case (POST /nguoi/{id}/mo-ho-so).
func (h *Handler) caseOpen(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := personID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	v, err := h.caseOpenView(r, u, id)
	if err != nil {
		return err
	}
	f := &postForm{v: r.PostForm, e: errs{}}
	for _, k := range append(caseOpenFields, "hardship_area", "village_elder", "youth_union_exists", "political_issue") {
		v.Form[k] = f.s(k)
	}
	in := service.OpenCaseInput{PersonID: id, HardshipArea: f.on("hardship_area"), VillageElder: f.on("village_elder"),
		YouthUnionExists: new(f.on("youth_union_exists")), PoliticalIssue: f.on("political_issue")}
	in.OpenedOn = derefDate(f.datep("opened_on", "Ngày đưa vào danh sách"))
	if f.s("helper_id") != "" || f.s("other_id") != "" || f.s("other_name") != "" {
		in.HelperID = h.pickMember(r.Context(), f, "helper_id", "đảng viên giúp đỡ")
		v.Choices = f.choices
	}
	if v.Readmission {
		in.Readmission = &service.ReadmissionInput{LeftOn: f.date("left_on", "Ngày ra khỏi Đảng"), Ground: f.s("ground"),
			RecordCleared: f.datep("record_cleared", "Ngày được xóa án tích")}
	}
	if f.ok() {
		c, err := h.svc.OpenCase(r.Context(), in)
		if err == nil {
			http.Redirect(w, r, caseURL(c.ID)+"?da=mo", http.StatusSeeOther)
			return nil
		}
		if !isUserError(err) {
			return err
		}
		f.e.add(err, caseOpenFields...)
		v.Errors = f.e
		return h.render(w, r, statusOf(err), "case_open", "Lập hồ sơ kết nạp: "+v.P.FullName, "cases", v)
	}
	v.Errors = f.e
	return h.render(w, r, http.StatusUnprocessableEntity, "case_open", "Lập hồ sơ kết nạp: "+v.P.FullName, "cases", v)
}

// personCaseRow is a case on the person's page.
type personCaseRow struct {
	*domain.Case
	Late bool
}

// personCases lists the person's cases for their page, and whether a new
// one may be opened there.
func (h *Handler) personCases(r *http.Request, u *domain.User, p *domain.Person) ([]personCaseRow, bool, error) {
	ctx := r.Context()
	cases, err := h.svc.PersonCases(ctx, p.ID)
	if err != nil {
		return nil, false, err
	}
	today := h.svc.DefaultAsOf(ctx)
	var out []personCaseRow
	for _, c := range cases {
		out = append(out, personCaseRow{Case: c, Late: !c.Closed() && c.NextDue != nil && c.NextDue.Before(today)})
	}
	return out, canOpenCase(u, p, cases), nil
}

func init() {
	funcs["caseKind"] = func(kind string) string {
		if kind == domain.CaseReadmission {
			return "Kết nạp lại"
		}
		return "Kết nạp lần đầu"
	}
	funcs["itoa"] = func(n int64) string { return strconv.FormatInt(n, 10) }
}
