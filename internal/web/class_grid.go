package web

import (
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// The phone-friendly grids: attendance per session (one check box per
// learner), and the final essay's two scores per learner, with the retake.

type attendanceRow struct {
	ID      int64
	Name    string
	Unit    string
	Present bool
	Lessons string // typed lessons, "" = the whole session when present
}

type classAttendanceView struct {
	V        *service.ClassView
	Session  domain.Session
	Recorded bool
	Rows     []attendanceRow
	Errors   errs
	Saved    bool
}

// sessionOf picks the session of ?buoi=, else the first not yet recorded.
func sessionOf(v *service.ClassView, s string) (domain.Session, error) {
	if len(v.Sessions) == 0 {
		return domain.Session{}, domain.Errorf(domain.ENotFound, "Lớp %s chưa có buổi học nào", v.Code)
	}
	if s != "" {
		id, _ := strconv.ParseInt(s, 10, 64)
		for _, x := range v.Sessions {
			if x.ID == id {
				return x, nil
			}
		}
		return domain.Session{}, domain.Errorf(domain.ENotFound, "Lớp %s không có buổi học %q", v.Code, s)
	}
	for _, x := range v.Sessions {
		if !v.Recorded[x.ID] {
			return x, nil
		}
	}
	return v.Sessions[0], nil
}

func (h *Handler) attendanceView(r *http.Request, sid string) (*classAttendanceView, error) {
	id, err := classID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.Class(r.Context(), id)
	if err != nil {
		return nil, err
	}
	sess, err := sessionOf(v, sid)
	if err != nil {
		return nil, err
	}
	av := &classAttendanceView{V: v, Session: sess, Recorded: v.Recorded[sess.ID], Errors: errs{}}
	for _, l := range v.Learners {
		if l.Status != domain.EnrolActive {
			continue
		}
		row := attendanceRow{ID: l.ID, Name: l.Name, Unit: l.OrgName, Present: true}
		if av.Recorded {
			n := v.Attendance[l.ID][sess.ID]
			row.Present = n > 0
			if n > 0 && n < sess.Lessons {
				row.Lessons = strconv.Itoa(n)
			}
		}
		av.Rows = append(av.Rows, row)
	}
	return av, nil
}

// classAttendance shows the attendance grid of a session (GET /lop-hoc/{id}/diem-danh?buoi=).
func (h *Handler) classAttendance(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	av, err := h.attendanceView(r, r.URL.Query().Get("buoi"))
	if err != nil {
		return err
	}
	av.Saved = r.URL.Query().Get("da") != ""
	return h.render(w, r, http.StatusOK, "class_attendance", "Điểm danh: "+av.V.Code, "classes", av)
}

// classAttendanceSave saves it (POST /lop-hoc/{id}/diem-danh): present=ID
// for each learner present, l-ID for fewer lessons than the session's.
func (h *Handler) classAttendanceSave(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	av, err := h.attendanceView(r, r.PostForm.Get("buoi"))
	if err != nil {
		return err
	}
	present := map[string]bool{}
	for _, s := range r.PostForm["present"] {
		present[s] = true
	}
	lessons := map[int64]int{}
	for i := range av.Rows {
		row := &av.Rows[i]
		key := strconv.FormatInt(row.ID, 10)
		row.Present, row.Lessons = present[key], strings.TrimSpace(r.PostForm.Get("l-"+key))
		if !row.Present {
			continue
		}
		lessons[row.ID] = av.Session.Lessons
		if n := av.Errors.int("l-"+key, row.Name+": số tiết", row.Lessons); n != nil {
			lessons[row.ID] = *n
		}
	}
	if len(av.Errors) == 0 {
		err = h.svc.SaveAttendance(r.Context(), av.V.ID, av.Session.ID, lessons)
		if err == nil {
			next := "/lop-hoc/" + strconv.FormatInt(av.V.ID, 10) + "/diem-danh?buoi=" + strconv.FormatInt(av.Session.ID, 10) + "&da=1"
			http.Redirect(w, r, next, http.StatusSeeOther)
			return nil
		}
		if !isUserError(err) {
			return err
		}
		av.Errors.add(err)
	}
	return h.render(w, r, statusOf(firstErr(err)), "class_attendance", "Điểm danh: "+av.V.Code, "classes", av)
}

type resultRow struct {
	ID         int64
	Name       string
	Unit       string
	Attendance string
	Eligible   bool
	S1, S2     string
	Absent     bool
	Version    int64
	Label      string
	Retaken    bool
	CanRetake  bool
	Error      string
}

type classResultsView struct {
	V       *service.ClassView
	Rows    []resultRow
	Errors  errs
	Retake  string // the learner id whose retake form was refused
	RDate   string
	R1, R2  string
	Editing bool // the class is open
	Saved   bool
}

func (h *Handler) resultsView(r *http.Request) (*classResultsView, error) {
	id, err := classID(r)
	if err != nil {
		return nil, err
	}
	v, err := h.svc.Class(r.Context(), id)
	if err != nil {
		return nil, err
	}
	rv := &classResultsView{V: v, Errors: errs{}, Editing: v.Status == domain.ClassOpen && v.CanWrite,
		RDate: iso(v.Exam().AddDate(0, 0, 1))}
	for _, l := range v.Learners {
		if l.Status != domain.EnrolActive {
			continue
		}
		row := resultRow{ID: l.ID, Name: l.Name, Unit: l.OrgName, Eligible: l.Outcome != domain.OutcomeIneligible,
			S1: scoreText(l.Score1), S2: scoreText(l.Score2), Absent: l.Absent,
			Version: l.Version, Label: service.LearnerLabel(l.Learner), Retaken: l.RetakeDate != nil}
		if v.TotalLessons > 0 {
			row.Attendance = strconv.Itoa(l.Attended) + "/" + strconv.Itoa(v.TotalLessons)
		}
		row.CanRetake = rv.Editing && !row.Retaken && (l.Outcome == domain.OutcomeFail || l.Outcome == domain.OutcomeAbsent)
		rv.Rows = append(rv.Rows, row)
	}
	return rv, nil
}

// classResults shows the results grid (GET /lop-hoc/{id}/ket-qua).
func (h *Handler) classResults(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	rv, err := h.resultsView(r)
	if err != nil {
		return err
	}
	rv.Saved = r.URL.Query().Get("da") != ""
	return h.render(w, r, http.StatusOK, "class_results", "Kết quả: "+rv.V.Code, "classes", rv)
}

// classResultsSave saves the scores that changed (POST /lop-hoc/{id}/ket-qua):
// s1-ID and s2-ID the two graders' scores, absent=ID, v-ID the version seen.
func (h *Handler) classResultsSave(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	rv, err := h.resultsView(r)
	if err != nil {
		return err
	}
	absent := map[string]bool{}
	for _, s := range r.PostForm["absent"] {
		absent[s] = true
	}
	var in []service.ResultInput
	for i := range rv.Rows {
		row := &rv.Rows[i]
		key := strconv.FormatInt(row.ID, 10)
		if _, ok := r.PostForm["s1-"+key]; !ok || !row.Eligible || row.Retaken {
			continue
		}
		s1, s2, ab := strings.TrimSpace(r.PostForm.Get("s1-"+key)), strings.TrimSpace(r.PostForm.Get("s2-"+key)), absent[key]
		if s1 == row.S1 && s2 == row.S2 && ab == row.Absent {
			continue
		}
		row.S1, row.S2, row.Absent = s1, s2, ab
		row.Version, _ = strconv.ParseInt(r.PostForm.Get("v-"+key), 10, 64)
		p1, err1 := domain.ParseScore("s1-"+key, s1)
		p2, err2 := domain.ParseScore("s2-"+key, s2)
		if err1 != nil || err2 != nil {
			row.Error = domain.ErrorMessage(firstNonNil(err1, err2))
			rv.Errors[""] = "Có điểm chưa hợp lệ; xem các dòng được đánh dấu."
			continue
		}
		in = append(in, service.ResultInput{LearnerID: row.ID, Score1: p1, Score2: p2, Absent: ab, Version: row.Version})
	}
	if len(rv.Errors) == 0 {
		if len(in) == 0 {
			http.Redirect(w, r, "/lop-hoc/"+strconv.FormatInt(rv.V.ID, 10)+"/ket-qua", http.StatusSeeOther)
			return nil
		}
		err = h.svc.SaveResults(r.Context(), rv.V.ID, in)
		if err == nil {
			http.Redirect(w, r, "/lop-hoc/"+strconv.FormatInt(rv.V.ID, 10)+"/ket-qua?da=1", http.StatusSeeOther)
			return nil
		}
		if !isUserError(err) {
			return err
		}
		rv.Errors.add(err)
	}
	return h.render(w, r, statusOf(firstErr(err)), "class_results", "Kết quả: "+rv.V.Code, "classes", rv)
}

func firstNonNil(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// classRetake records a retake (POST /lop-hoc/{id}/hoc-vien/{lid}/thi-lai).
func (h *Handler) classRetake(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	rv, err := h.resultsView(r)
	if err != nil {
		return err
	}
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy học viên %q", r.PathValue("lid"))
	}
	g := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	rv.Retake, rv.RDate, rv.R1, rv.R2 = strconv.FormatInt(lid, 10), g("date"), g("r1"), g("r2")
	version, _ := strconv.ParseInt(g("version"), 10, 64)
	d := rv.Errors.date("retake_date", "Ngày thi lại", rv.RDate)
	p1, err1 := domain.ParseScore("retake1", rv.R1)
	p2, err2 := domain.ParseScore("retake2", rv.R2)
	if e := firstNonNil(err1, err2); e != nil {
		rv.Errors.add(e)
	}
	if d == nil && len(rv.Errors) == 0 {
		rv.Errors["retake_date"] = "Cần ngày thi lại"
	}
	if len(rv.Errors) == 0 {
		_, err = h.svc.RecordRetake(r.Context(), lid, *d, p1, p2, version)
		if err == nil {
			http.Redirect(w, r, "/lop-hoc/"+strconv.FormatInt(rv.V.ID, 10)+"/ket-qua?da=1", http.StatusSeeOther)
			return nil
		}
		if !isUserError(err) {
			return err
		}
		rv.Errors.add(err)
	}
	if msg, ok := rv.Errors["retake_date"]; ok {
		rv.Errors[""] = msg
	}
	return h.render(w, r, statusOf(firstErr(err)), "class_results", "Kết quả: "+rv.V.Code, "classes", rv)
}
