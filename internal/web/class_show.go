package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// The page of a class: its facts, sessions and learners; opening (≥ 25
// learners or a reason), finishing, cancelling; issuing certificates.

type classLearnerRow struct {
	domain.LearnerRow
	No         int
	Percent    string // attendance
	Label      string // outcome with grade and mean
	Cert       *domain.Certificate
	Withdrawn  bool
	CanRetake  bool
	Attendance string // "18/20 tiết"
}

// classActions is what the user typed in the status forms, and their errors.
type classActions struct {
	OpenDate, Reason, CompletionNo, CompletionDate, CancelReason, Issued, LateReason string
	Errors                                                                           errs
	Need25                                                                           bool // the open form asks for a reason
}

type classShowView struct {
	V                       *service.ClassView
	Rows                    []classLearnerRow
	Counts                  map[string]int // by outcome
	Passed                  int
	ToCertify               int
	Act                     classActions
	Notice                  string
	Planned, Open, Finished bool
}

func (h *Handler) loadClassShow(r *http.Request, id int64) (*classShowView, error) {
	v, err := h.svc.Class(r.Context(), id)
	if err != nil {
		return nil, err
	}
	s := &classShowView{V: v, Counts: map[string]int{}, Planned: v.Status == domain.ClassPlanned,
		Open: v.Status == domain.ClassOpen, Finished: v.Status == domain.ClassFinished}
	today := h.svc.DefaultAsOf(r.Context())
	s.Act = classActions{OpenDate: iso(v.StartDate), CompletionDate: iso(today), Issued: iso(today), Errors: errs{},
		Need25: v.Enrolled < domain.MinLearners}
	if v.CompletionDate != nil {
		s.Act.Issued = iso(*v.CompletionDate)
	}
	for i, l := range v.Learners {
		row := classLearnerRow{LearnerRow: l, No: i + 1, Label: service.LearnerLabel(l.Learner), Cert: v.Certificates[l.ID],
			Withdrawn: l.Status == domain.EnrolWithdrawn}
		if v.TotalLessons > 0 {
			row.Attendance = fmt.Sprintf("%d/%d tiết", l.Attended, v.TotalLessons)
			row.Percent = vn.Percent(float64(l.Attended*10000/v.TotalLessons) / 100)
		}
		row.CanRetake = s.Open && l.RetakeDate == nil && (l.Outcome == domain.OutcomeFail || l.Outcome == domain.OutcomeAbsent)
		s.Counts[l.Outcome]++
		if l.Outcome == domain.OutcomePass {
			s.Passed++
			if row.Cert == nil {
				s.ToCertify++
			}
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}

// classShow shows a class (GET /lop-hoc/{id}).
func (h *Handler) classShow(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := classID(r)
	if err != nil {
		return err
	}
	s, err := h.loadClassShow(r, id)
	if err != nil {
		return err
	}
	s.Notice = r.URL.Query().Get("da")
	return h.renderClassShow(w, r, http.StatusOK, s)
}

func (h *Handler) renderClassShow(w http.ResponseWriter, r *http.Request, status int, s *classShowView) error {
	return h.render(w, r, status, "class_show", s.V.Name, "classes", s)
}

// notices are the short confirmations shown after an action (?da=).
var notices = map[string]string{
	"mo": "Đã mở lớp.", "ket-thuc": "Đã ghi quyết định công nhận kết quả; lớp đã kết thúc.", "huy": "Đã hủy lớp.",
	"ghi-danh": "Đã ghi danh học viên.", "rut-ten": "Đã rút tên học viên khỏi lớp.", "diem-danh": "Đã lưu điểm danh.",
	"ket-qua": "Đã lưu kết quả.", "thi-lai": "Đã ghi kết quả thi lại.", "chung-nhan": "Đã cấp giấy chứng nhận.",
}

func noticeOf(code string) string { return notices[code] }

func classURL(id int64, notice string) string {
	u := "/lop-hoc/" + strconv.FormatInt(id, 10)
	if notice != "" {
		u += "?da=" + notice
	}
	return u
}

// classStatus opens, finishes or cancels a class (POST /lop-hoc/{id}/trang-thai).
func (h *Handler) classStatus(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := classID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	s, err := h.loadClassShow(r, id)
	if err != nil {
		return err
	}
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	version, _ := strconv.ParseInt(g("version"), 10, 64)
	a := &s.Act
	a.OpenDate, a.Reason, a.CompletionNo, a.CompletionDate, a.CancelReason = g("open_date"), g("override_reason"), g("completion_no"),
		g("completion_date"), g("cancel_reason")
	ctx := r.Context()
	action, notice := g("action"), ""
	switch action {
	case "open":
		d := dateOr(a.Errors, "open_date", "Ngày khai giảng", a.OpenDate, s.V.StartDate)
		if len(a.Errors) == 0 {
			notice = "mo"
			_, err = h.svc.OpenClass(ctx, id, d, a.Reason, version)
		}
	case "finish":
		d := dateOr(a.Errors, "completion_date", "Ngày quyết định", a.CompletionDate, s.V.EndDate)
		if len(a.Errors) == 0 {
			notice = "ket-thuc"
			_, err = h.svc.FinishClass(ctx, id, a.CompletionNo, d, version)
		}
	case "cancel":
		notice = "huy"
		_, err = h.svc.CancelClass(ctx, id, a.CancelReason, version)
	default:
		return domain.Errorf(domain.EBadRequest, "Thao tác %q không hợp lệ", action)
	}
	if err == nil && len(a.Errors) == 0 {
		http.Redirect(w, r, classURL(id, notice), http.StatusSeeOther)
		return nil
	}
	if err != nil && !isUserError(err) {
		return err
	}
	if err != nil {
		a.Errors.add(err, "override_reason", "completion_no", "completion_date", "reason", "open_date")
		if fieldOf(err) == "override_reason" {
			a.Need25 = true
		}
		if fieldOf(err) == "reason" {
			a.Errors["cancel_reason"] = a.Errors["reason"]
		}
	}
	return h.renderClassShow(w, r, statusOf(firstErr(err)), s)
}

// firstErr is err, or a validation error when the form itself was refused.
func firstErr(err error) error {
	if err != nil {
		return err
	}
	return domain.Errorf(domain.EInvalid, "")
}

// classWithdraw takes a learner out (POST /lop-hoc/{id}/hoc-vien/{lid}/rut-ten).
func (h *Handler) classWithdraw(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := classID(r)
	if err != nil {
		return err
	}
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy học viên %q", r.PathValue("lid"))
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err := h.svc.Withdraw(r.Context(), lid, version); err != nil {
		return err
	}
	http.Redirect(w, r, classURL(id, "rut-ten"), http.StatusSeeOther)
	return nil
}

// classCertify issues the certificates of a finished class (POST /lop-hoc/{id}/cap-chung-nhan).
func (h *Handler) classCertify(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := classID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	s, err := h.loadClassShow(r, id)
	if err != nil {
		return err
	}
	a := &s.Act
	a.Issued, a.LateReason = strings.TrimSpace(r.PostForm.Get("issued")), strings.TrimSpace(r.PostForm.Get("late_reason"))
	d := dateOr(a.Errors, "issued", "Ngày cấp", a.Issued, h.svc.DefaultAsOf(r.Context()))
	if len(a.Errors) == 0 {
		_, err = h.svc.IssueCertificates(r.Context(), id, d, a.LateReason)
		if err == nil {
			http.Redirect(w, r, classURL(id, "chung-nhan"), http.StatusSeeOther)
			return nil
		}
		if !isUserError(err) {
			return err
		}
		a.Errors.add(err, "issued", "late_reason")
	}
	return h.renderClassShow(w, r, statusOf(firstErr(err)), s)
}
