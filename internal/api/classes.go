package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// Training classes: the JSON twin of the /lop-hoc pages.

func (a *API) registerClasses(auth func(string, handlerFunc)) {
	auth("GET /api/v1/classes", a.listClasses)
	auth("POST /api/v1/classes", a.createClass)
	auth("GET /api/v1/classes/{id}", a.getClass)
	auth("PUT /api/v1/classes/{id}", a.updateClass)
	auth("POST /api/v1/classes/{id}/open", a.classStatus("open"))
	auth("POST /api/v1/classes/{id}/finish", a.classStatus("finish"))
	auth("POST /api/v1/classes/{id}/cancel", a.classStatus("cancel"))
	auth("GET /api/v1/classes/{id}/eligible", a.eligible)
	auth("POST /api/v1/classes/{id}/learners", a.enrol)
	auth("POST /api/v1/classes/{id}/learners/{lid}/withdraw", a.withdraw)
	auth("POST /api/v1/classes/{id}/learners/{lid}/retake", a.retake)
	auth("PUT /api/v1/classes/{id}/sessions/{sid}/attendance", a.attendance)
	auth("PUT /api/v1/classes/{id}/results", a.results)
	auth("POST /api/v1/classes/{id}/certificates", a.issueCertificates)
	auth("GET /api/v1/people/{id}/certificates", a.personCertificates)
	auth("GET /api/v1/reports/classes", a.classReport)
	auth("GET /api/v1/reports/sources-not-sent", a.sourcesNotSent)
	auth("GET /api/v1/reports/awareness-certificates", a.awarenessHolders)
}

// score is a score on 10 in JSON (7.25), held in hundredths.
type score float64

func scorePtr(h *int) *score {
	if h == nil {
		return nil
	}
	s := score(float64(*h) / 100)
	return &s
}

func (s *score) hundredths(field string) (*int, error) {
	if s == nil {
		return nil, nil
	}
	v := float64(*s) * 100
	r := math.Round(v)
	if math.Abs(v-r) > 1e-6 || r < 0 || r > domain.MaxScore {
		return nil, domain.FieldError(field, "Điểm %v không hợp lệ: từ 0 đến 10, tối đa hai chữ số thập phân", float64(*s))
	}
	n := int(r)
	return &n, nil
}

// ClassJSON is a class as the API shows it.
type ClassJSON struct {
	ID             int64         `json:"id"`
	Code           string        `json:"code"`
	Name           string        `json:"name"`
	Programme      string        `json:"programme"`
	Org            orgRef        `json:"org"`
	Organiser      string        `json:"organiser"`
	Place          string        `json:"place"`
	Lecturers      string        `json:"lecturers"`
	StartDate      date          `json:"start_date"`
	EndDate        date          `json:"end_date"`
	ExamDate       date          `json:"exam_date"`
	Capacity       int           `json:"capacity"`
	Status         string        `json:"status"`
	OpenedOn       *date         `json:"opened_on"`
	OpenOverride   string        `json:"open_override"`
	CompletionNo   string        `json:"completion_no"`
	CompletionDate *date         `json:"completion_date"`
	Learners       int           `json:"learners"`
	Units          []orgRef      `json:"units,omitempty"`
	Sessions       []sessionJSON `json:"sessions,omitempty"`
	TotalLessons   int           `json:"total_lessons,omitempty"`
	LearnerList    []learnerJSON `json:"learner_list,omitempty"`
	Version        int64         `json:"version"`
}

type sessionJSON struct {
	ID       int64 `json:"id"`
	Date     date  `json:"date"`
	Lessons  int   `json:"lessons"`
	Recorded bool  `json:"recorded"`
}

type learnerJSON struct {
	ID          int64     `json:"id"`
	PersonID    int64     `json:"person_id"`
	Name        string    `json:"name"`
	BirthDate   date      `json:"birth_date"`
	Unit        string    `json:"unit"`
	Status      string    `json:"status"`
	Attended    int       `json:"attended_lessons"`
	Score1      *score    `json:"score1"`
	Score2      *score    `json:"score2"`
	Absent      bool      `json:"absent"`
	RetakeDate  *date     `json:"retake_date"`
	Retake1     *score    `json:"retake1"`
	Retake2     *score    `json:"retake2"`
	Outcome     string    `json:"outcome"`
	Mean        *float64  `json:"mean"`
	Grade       string    `json:"grade,omitempty"`
	Certificate *certJSON `json:"certificate"`
	Version     int64     `json:"version"`
}

type certJSON struct {
	ID         int64  `json:"id"`
	Number     string `json:"number"`
	Programme  string `json:"programme"`
	Issued     date   `json:"issued"`
	ValidUntil *date  `json:"valid_until"`
	LateReason string `json:"late_reason,omitempty"`
}

func certOf(k *domain.Certificate) *certJSON {
	if k == nil {
		return nil
	}
	return &certJSON{ID: k.ID, Number: k.Number, Programme: k.Programme, Issued: date{k.Issued}, ValidUntil: datePtr(k.ValidUntil), LateReason: k.LateReason}
}

func classJSON(c *domain.Class, org *domain.Org, learners int) *ClassJSON {
	out := &ClassJSON{ID: c.ID, Code: c.Code, Name: c.Name, Programme: c.Programme, Organiser: c.Organiser, Place: c.Place,
		Lecturers: c.Lecturers, StartDate: date{c.StartDate}, EndDate: date{c.EndDate}, ExamDate: date{c.Exam()}, Capacity: c.Capacity,
		Status: c.Status, OpenedOn: datePtr(c.OpenedOn), OpenOverride: c.OpenOverride, CompletionNo: c.CompletionNo,
		CompletionDate: datePtr(c.CompletionDate), Learners: learners, Version: c.Version}
	if org != nil {
		out.Org = orgRef{Code: org.Code, Name: org.Name}
	}
	return out
}

func (a *API) listClasses(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	year, err := queryInt(r, "year", 0)
	if err != nil {
		return err
	}
	page, per, err := pageParams(r, 50)
	if err != nil {
		return err
	}
	asof, err := queryDate(r, "asof", time.Time{})
	if err != nil {
		return err
	}
	res, err := a.svc.Classes(r.Context(), service.ClassQuery{Programme: q.Get("programme"), Status: q.Get("status"), Year: year,
		Query: q.Get("q"), Page: page, PerPage: per, AsOf: asof})
	if err != nil {
		return err
	}
	var ids []int64
	for _, c := range res.Classes {
		ids = append(ids, c.OrgID)
	}
	orgs, err := a.svc.OrgRefs(r.Context(), ids...)
	if err != nil {
		return err
	}
	out := struct {
		Classes []*ClassJSON `json:"classes"`
		Total   int          `json:"total"`
		Page    int          `json:"page"`
		PerPage int          `json:"per_page"`
	}{Classes: []*ClassJSON{}, Total: res.Total, Page: res.Page, PerPage: res.PerPage}
	for _, c := range res.Classes {
		out.Classes = append(out.Classes, classJSON(c.Class, orgs[c.OrgID], c.Learners))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// classInputJSON is what a client sends to create or edit a class.
type classInputJSON struct {
	Code              string   `json:"code"`
	Name              string   `json:"name"`
	Programme         string   `json:"programme"`
	Org               string   `json:"org"`
	Organiser         string   `json:"organiser"`
	Place             string   `json:"place"`
	Lecturers         string   `json:"lecturers"`
	StartDate         date     `json:"start_date"`
	Sessions          int      `json:"sessions"`
	LessonsPerSession int      `json:"lessons_per_session"`
	SessionDates      []date   `json:"session_dates"`
	ExamDate          *date    `json:"exam_date"`
	Capacity          int      `json:"capacity"`
	Units             []string `json:"units"`
	Version           int64    `json:"version"`
}

func (in *classInputJSON) input() service.ClassInput {
	out := service.ClassInput{Code: in.Code, Name: in.Name, Programme: in.Programme, OrgCode: in.Org, Organiser: in.Organiser,
		Place: in.Place, Lecturers: in.Lecturers, StartDate: in.StartDate.Time, Sessions: in.Sessions,
		LessonsPerSession: in.LessonsPerSession, ExamDate: in.ExamDate.ptr(), Capacity: in.Capacity, UnitCodes: in.Units, Version: in.Version}
	for _, d := range in.SessionDates {
		out.SessionDates = append(out.SessionDates, d.Time)
	}
	return out
}

func (a *API) createClass(w http.ResponseWriter, r *http.Request) error {
	var in classInputJSON
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := a.svc.CreateClass(r.Context(), in.input())
	if err != nil {
		return err
	}
	return a.writeClass(w, r, c.ID, http.StatusCreated)
}

func (a *API) updateClass(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in classInputJSON
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if _, err := a.svc.UpdateClass(r.Context(), id, in.input()); err != nil {
		return err
	}
	return a.writeClass(w, r, id, http.StatusOK)
}

func (a *API) getClass(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.writeClass(w, r, id, http.StatusOK)
}

// writeClass answers with the class, its sessions and the learners the user may see.
func (a *API) writeClass(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	v, err := a.svc.Class(r.Context(), id)
	if err != nil {
		return err
	}
	out := classJSON(v.Class, v.Org, v.Enrolled)
	out.TotalLessons = v.TotalLessons
	for _, u := range v.Units {
		out.Units = append(out.Units, orgRef{Code: u.Code, Name: u.Name})
	}
	for _, s := range v.Sessions {
		out.Sessions = append(out.Sessions, sessionJSON{ID: s.ID, Date: date{s.Date}, Lessons: s.Lessons, Recorded: v.Recorded[s.ID]})
	}
	out.LearnerList = []learnerJSON{}
	for _, l := range v.Learners {
		j := learnerJSON{ID: l.ID, PersonID: l.PersonID, Name: l.Name, BirthDate: date{l.BirthDate}, Unit: l.OrgName, Status: l.Status,
			Attended: l.Attended, Score1: scorePtr(l.Score1), Score2: scorePtr(l.Score2), Absent: l.Absent,
			RetakeDate: datePtr(l.RetakeDate), Retake1: scorePtr(l.Retake1), Retake2: scorePtr(l.Retake2), Outcome: l.Outcome,
			Certificate: certOf(v.Certificates[l.ID]), Version: l.Version}
		if l.Outcome == domain.OutcomePass || l.Outcome == domain.OutcomeFail {
			m := float64(l.Total) / 200
			j.Mean = &m
			_, j.Grade = domain.GradeOf(l.Total)
		}
		out.LearnerList = append(out.LearnerList, j)
	}
	httpx.WriteJSON(w, status, out)
	return nil
}

// classStatus handles open (date, override_reason), finish
// (completion_no, completion_date) and cancel (reason).
func (a *API) classStatus(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		var in struct {
			Date           date   `json:"date"`
			OverrideReason string `json:"override_reason"`
			CompletionNo   string `json:"completion_no"`
			CompletionDate date   `json:"completion_date"`
			Reason         string `json:"reason"`
			Version        int64  `json:"version"`
		}
		if err := decode(w, r, &in); err != nil {
			return err
		}
		ctx := r.Context()
		switch action {
		case "open":
			_, err = a.svc.OpenClass(ctx, id, in.Date.Time, in.OverrideReason, in.Version)
		case "finish":
			_, err = a.svc.FinishClass(ctx, id, in.CompletionNo, in.CompletionDate.Time, in.Version)
		default:
			_, err = a.svc.CancelClass(ctx, id, in.Reason, in.Version)
		}
		if err != nil {
			return err
		}
		return a.writeClass(w, r, id, http.StatusOK)
	}
}

func (a *API) eligible(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	page, per, err := pageParams(r, 100)
	if err != nil {
		return err
	}
	res, err := a.svc.Eligible(r.Context(), id, service.EligibleQuery{OrgCode: r.URL.Query().Get("org"), Query: r.URL.Query().Get("q"),
		Page: page, PerPage: per})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, peoplePage(res.People, res.Total, res.Page, res.PerPage))
	return nil
}

func (a *API) enrol(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		People  []int64 `json:"people"`
		Chapter string  `json:"chapter"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if _, err := a.svc.Enrol(r.Context(), id, in.People, in.Chapter); err != nil {
		return err
	}
	return a.writeClass(w, r, id, http.StatusOK)
}

func learnerID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENotFound, "Mã học viên %q không hợp lệ", r.PathValue("lid"))
	}
	return id, nil
}

func (a *API) withdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	lid, err := learnerID(r)
	if err != nil {
		return err
	}
	var in struct {
		Version int64 `json:"version"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := a.svc.Withdraw(r.Context(), lid, in.Version); err != nil {
		return err
	}
	return a.writeClass(w, r, id, http.StatusOK)
}

func (a *API) retake(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	lid, err := learnerID(r)
	if err != nil {
		return err
	}
	var in struct {
		Date    date   `json:"date"`
		Score1  *score `json:"score1"`
		Score2  *score `json:"score2"`
		Version int64  `json:"version"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	s1, err := in.Score1.hundredths("score1")
	if err != nil {
		return err
	}
	s2, err := in.Score2.hundredths("score2")
	if err != nil {
		return err
	}
	if in.Date.IsZero() {
		return domain.FieldError("date", "Cần ngày thi lại")
	}
	if _, err := a.svc.RecordRetake(r.Context(), lid, in.Date.Time, s1, s2, in.Version); err != nil {
		return err
	}
	return a.writeClass(w, r, id, http.StatusOK)
}

func (a *API) attendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.ENotFound, "Mã buổi học %q không hợp lệ", r.PathValue("sid"))
	}
	var in struct {
		Lessons map[string]int `json:"lessons"` // learner id → lessons attended; absent learners attended none
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m := map[int64]int{}
	for k, v := range in.Lessons {
		lid, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return domain.FieldError("lessons", "Mã học viên %q không hợp lệ", k)
		}
		m[lid] = v
	}
	if err := a.svc.SaveAttendance(r.Context(), id, sid, m); err != nil {
		return err
	}
	return a.writeClass(w, r, id, http.StatusOK)
}

func (a *API) results(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in []struct {
		Learner int64  `json:"learner"`
		Score1  *score `json:"score1"`
		Score2  *score `json:"score2"`
		Absent  bool   `json:"absent"`
		Version int64  `json:"version"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var rs []service.ResultInput
	for i, x := range in {
		s1, err := x.Score1.hundredths(fmt.Sprintf("[%d].score1", i))
		if err != nil {
			return err
		}
		s2, err := x.Score2.hundredths(fmt.Sprintf("[%d].score2", i))
		if err != nil {
			return err
		}
		rs = append(rs, service.ResultInput{LearnerID: x.Learner, Score1: s1, Score2: s2, Absent: x.Absent, Version: x.Version})
	}
	if err := a.svc.SaveResults(r.Context(), id, rs); err != nil {
		return err
	}
	return a.writeClass(w, r, id, http.StatusOK)
}

func (a *API) issueCertificates(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in struct {
		Issued     date   `json:"issued"`
		LateReason string `json:"late_reason"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	certs, err := a.svc.IssueCertificates(r.Context(), id, in.Issued.Time, in.LateReason)
	if err != nil {
		return err
	}
	out := []*certJSON{}
	for _, k := range certs {
		out = append(out, certOf(k))
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"certificates": out})
	return nil
}
