package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// Training classes (DOMAIN §6): the routes, the template helpers and the
// list of classes. The other screens are in the class_*.go files.

// registerClasses adds the class pages to mux.
func (h *Handler) registerClasses(mux *http.ServeMux) {
	mux.Handle("GET /lop-hoc", h.page(h.classList))
	mux.Handle("GET /lop-hoc/moi", h.page(h.classNewForm))
	mux.Handle("POST /lop-hoc/moi", h.page(h.classCreate))
	mux.Handle("GET /lop-hoc/bao-cao", h.page(h.classReport))
	mux.Handle("GET /lop-hoc/chua-cu-di-hoc", h.page(h.classNotSent))
	mux.Handle("GET /lop-hoc/giay-chung-nhan", h.page(h.classHolders))
	mux.Handle("GET /lop-hoc/{id}", h.page(h.classShow))
	mux.Handle("GET /lop-hoc/{id}/sua", h.page(h.classEditForm))
	mux.Handle("POST /lop-hoc/{id}/sua", h.page(h.classEdit))
	mux.Handle("POST /lop-hoc/{id}/trang-thai", h.page(h.classStatus))
	mux.Handle("GET /lop-hoc/{id}/ghi-danh", h.page(h.classEnrolForm))
	mux.Handle("POST /lop-hoc/{id}/ghi-danh", h.page(h.classEnrol))
	mux.Handle("POST /lop-hoc/{id}/hoc-vien/{lid}/rut-ten", h.page(h.classWithdraw))
	mux.Handle("GET /lop-hoc/{id}/diem-danh", h.page(h.classAttendance))
	mux.Handle("POST /lop-hoc/{id}/diem-danh", h.page(h.classAttendanceSave))
	mux.Handle("GET /lop-hoc/{id}/ket-qua", h.page(h.classResults))
	mux.Handle("POST /lop-hoc/{id}/ket-qua", h.page(h.classResultsSave))
	mux.Handle("POST /lop-hoc/{id}/hoc-vien/{lid}/thi-lai", h.page(h.classRetake))
	mux.Handle("POST /lop-hoc/{id}/cap-chung-nhan", h.page(h.classCertify))
	mux.Handle("GET /lop-hoc/{id}/danh-sach.pdf", h.page(h.personalData("class_roster", h.classRosterPDF)))
	mux.Handle("GET /lop-hoc/{id}/danh-sach.xlsx", h.page(h.personalData("class_roster", h.classRosterXLSX)))
	mux.Handle("GET /giay-chung-nhan/{id}", h.page(h.personalData("certificate", h.certificatePDF)))
}

func init() {
	funcs["programme"] = domain.ProgrammeName
	funcs["classStatus"] = domain.ClassStatusName
	funcs["outcome"] = func(o string) string { return domain.OutcomeNames[o] }
	funcs["score"] = scoreText
	funcs["noticeText"] = noticeOf
}

// scoreText prints a score in hundredths the Vietnamese way ("" when none).
func scoreText(p *int) string {
	if p == nil {
		return ""
	}
	return domain.FormatScore(*p)
}

// classID reads the {id} of the path.
func classID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENotFound, "Không tìm thấy lớp %q", r.PathValue("id"))
	}
	return id, nil
}

type classListRow struct {
	domain.ClassRow
	Org *domain.Org
}

type classListView struct {
	Programme  string
	Status     string
	Year       int
	Q          string
	Programmes []domain.Programme
	Statuses   codeNames
	Rows       []classListRow
	Page       *service.ClassPage
	CanWrite   bool
	Report     string // link to this year's report
}

// classList lists the classes the user may see (GET /lop-hoc?programme=&status=&year=&q=&page=).
func (h *Handler) classList(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	v := classListView{Programme: q.Get("programme"), Status: q.Get("status"), Q: vn.Clean(q.Get("q")),
		Programmes: domain.Programmes, Statuses: domain.ClassStatuses, CanWrite: u.CanWrite("classes")}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			return domain.FieldError("year", "Năm %q không hợp lệ", s)
		}
		v.Year = y
	}
	cq := service.ClassQuery{Programme: v.Programme, Status: v.Status, Year: v.Year, Query: v.Q}
	cq.Page, _ = strconv.Atoi(q.Get("page"))
	if s := q.Get("asof"); s != "" {
		d, err := vn.ParseDate(s)
		if err != nil {
			return domain.FieldError("asof", "Ngày tính đến: %s", err.Error())
		}
		cq.AsOf = d
	}
	res, err := h.svc.Classes(ctx, cq)
	if err != nil {
		return err
	}
	v.Page = res
	var ids []int64
	for _, c := range res.Classes {
		ids = append(ids, c.OrgID)
	}
	orgs, err := h.svc.OrgsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	for _, c := range res.Classes {
		v.Rows = append(v.Rows, classListRow{ClassRow: c, Org: orgs[c.OrgID]})
	}
	asof := h.svc.DefaultAsOf(ctx)
	v.Report = string(href("/lop-hoc/bao-cao", "year", asof.Year(), "asof", asof))
	return h.render(w, r, http.StatusOK, "class_list", "Lớp bồi dưỡng", "classes", v)
}

// classForm is what the user typed in the class form, as text.
type classForm struct {
	Code, Name, Programme, Org, Organiser, Place, Lecturers string
	StartDate, Sessions, Lessons, Dates, ExamDate, Capacity string
	Units                                                   string
	Version                                                 int64
}

var classFields = []string{"code", "name", "programme", "org", "organiser", "place", "lecturers", "start_date",
	"sessions", "lessons", "exam_date", "capacity", "units"}

type classFormView struct {
	New        bool
	Class      *service.ClassView
	Form       classForm
	Errors     errs
	Programmes []domain.Programme
}

func readClassForm(r *http.Request) classForm {
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f := classForm{Code: g("code"), Name: g("name"), Programme: g("programme"), Org: g("org"), Organiser: g("organiser"),
		Place: g("place"), Lecturers: g("lecturers"), StartDate: g("start_date"), Sessions: g("sessions"), Lessons: g("lessons"),
		Dates: g("dates"), ExamDate: g("exam_date"), Capacity: g("capacity"), Units: g("units")}
	f.Version, _ = strconv.ParseInt(g("version"), 10, 64)
	return f
}

// input turns the form into the service's input, collecting parse errors.
func (f classForm) input(e errs) service.ClassInput {
	in := service.ClassInput{Code: f.Code, Name: f.Name, Programme: f.Programme, OrgCode: f.Org, Organiser: f.Organiser,
		Place: f.Place, Lecturers: f.Lecturers, Version: f.Version, UnitCodes: strings.FieldsFunc(f.Units, func(r rune) bool {
			return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r'
		})}
	in.StartDate = derefDate(e.date("start_date", "Ngày khai giảng", f.StartDate))
	in.ExamDate = e.date("exam_date", "Ngày viết thu hoạch", f.ExamDate)
	if n := e.int("sessions", "Số buổi", f.Sessions); n != nil {
		in.Sessions = *n
	}
	if n := e.int("lessons", "Số tiết mỗi buổi", f.Lessons); n != nil {
		in.LessonsPerSession = *n
	}
	if n := e.int("capacity", "Số chỗ", f.Capacity); n != nil {
		in.Capacity = *n
	}
	for _, s := range strings.Fields(strings.NewReplacer(",", " ", ";", " ").Replace(f.Dates)) {
		if d := e.date("sessions", "Ngày học", s); d != nil {
			in.SessionDates = append(in.SessionDates, *d)
		}
	}
	return in
}

func (h *Handler) renderClassForm(w http.ResponseWriter, r *http.Request, status int, v classFormView) error {
	v.Programmes = domain.Programmes
	if v.Errors == nil {
		v.Errors = errs{}
	}
	title := "Mở lớp bồi dưỡng mới"
	if !v.New {
		title = "Sửa lớp " + v.Class.Code
	}
	return h.render(w, r, status, "class_form", title, "classes", v)
}

// classNewForm shows the form of a new class (GET /lop-hoc/moi).
func (h *Handler) classNewForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if !u.CanWrite("classes") {
		return domain.Errorf(domain.EForbidden, "Vai trò %s không được mở lớp", domain.RoleName(u.Role))
	}
	home, err := h.svc.HomeOrg(r.Context())
	if err != nil {
		return err
	}
	start := h.svc.DefaultAsOf(r.Context()).AddDate(0, 0, 14)
	f := classForm{Programme: domain.ProgAwareness, Org: home.Code, Units: home.Code, Sessions: "4",
		Lessons: strconv.Itoa(domain.LessonsPerSession), StartDate: iso(start), Organiser: "Trung tâm Chính trị"}
	return h.renderClassForm(w, r, http.StatusOK, classFormView{New: true, Form: f})
}

// classCreate creates the class (POST /lop-hoc/moi).
func (h *Handler) classCreate(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	f := readClassForm(r)
	e := errs{}
	in := f.input(e)
	if len(e) == 0 {
		c, err := h.svc.CreateClass(r.Context(), in)
		if err == nil {
			h.flash(r, "Đã thêm lớp "+c.Name+".")
			http.Redirect(w, r, "/lop-hoc/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
			return nil
		}
		if !isUserError(err) {
			return err
		}
		e.add(err, classFields...)
	}
	return h.renderClassForm(w, r, http.StatusUnprocessableEntity, classFormView{New: true, Form: f, Errors: e})
}

// classEditForm shows the edit form (GET /lop-hoc/{id}/sua).
func (h *Handler) classEditForm(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := classID(r)
	if err != nil {
		return err
	}
	v, err := h.svc.Class(r.Context(), id)
	if err != nil {
		return err
	}
	if !v.CanWrite {
		return domain.Errorf(domain.EForbidden, "Bạn không được sửa lớp %s", v.Code)
	}
	return h.renderClassForm(w, r, http.StatusOK, classFormView{Class: v, Form: classFormOf(v)})
}

func classFormOf(v *service.ClassView) classForm {
	f := classForm{Code: v.Code, Name: v.Name, Programme: v.Programme.Code, Org: v.Org.Code, Organiser: v.Organiser, Place: v.Place,
		Lecturers: v.Lecturers, StartDate: iso(v.StartDate), ExamDate: isoPtr(v.ExamDate), Capacity: strconv.Itoa(v.Capacity),
		Version: v.Version, Sessions: strconv.Itoa(len(v.Sessions))}
	var dates, units []string
	for _, s := range v.Sessions {
		dates = append(dates, iso(s.Date))
		f.Lessons = strconv.Itoa(s.Lessons)
	}
	for _, o := range v.Units {
		units = append(units, o.Code)
	}
	f.Dates, f.Units = strings.Join(dates, " "), strings.Join(units, " ")
	return f
}

// classEdit saves the edit form (POST /lop-hoc/{id}/sua).
func (h *Handler) classEdit(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := classID(r)
	if err != nil {
		return err
	}
	v, err := h.svc.Class(r.Context(), id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	f := readClassForm(r)
	f.Code, f.Programme, f.Org = v.Code, v.Programme.Code, v.Org.Code
	e := errs{}
	in := f.input(e)
	if len(e) == 0 {
		c, err := h.svc.UpdateClass(r.Context(), id, in)
		if err == nil {
			h.flash(r, "Đã lưu lớp "+c.Name+".")
			http.Redirect(w, r, "/lop-hoc/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return nil
		}
		if !isUserError(err) {
			return err
		}
		e.add(err, classFields...)
	}
	return h.renderClassForm(w, r, http.StatusUnprocessableEntity, classFormView{Class: v, Form: f, Errors: e})
}

// dateOr parses an optional date field, def when empty.
func dateOr(e errs, field, label, s string, def time.Time) time.Time {
	if d := e.date(field, label, s); d != nil {
		return *d
	}
	return def
}
