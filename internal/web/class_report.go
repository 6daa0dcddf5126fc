package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// The classes report and its lists: sources not sent to any class for
// more than N months (default 6), holders of a valid awareness
// certificate, certificates about to lapse; and the dashboard's block.

type classReportView struct {
	R      *service.ClassReport
	Org    string
	Year   int
	AsOf   time.Time
	Months int
	Lines  []reportLine
}

type reportLine struct {
	Name string
	C    domain.ProgrammeCount
}

// reportParams reads org, year, asof (reportQuery), months and lapse_days.
func (h *Handler) reportParams(r *http.Request) (service.ClassReportQuery, error) {
	q := r.URL.Query()
	var rq service.ClassReportQuery
	var err error
	if rq.ReportQuery, err = reportQuery(r); err != nil {
		return rq, err
	}
	for _, x := range []struct {
		key string
		dst *int
	}{{"months", &rq.Months}, {"lapse_days", &rq.LapseDays}} {
		if s := q.Get(x.key); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return rq, domain.FieldError(x.key, "Tham số %s phải là số nguyên, không phải %q", x.key, s)
			}
			*x.dst = n
		}
	}
	return rq, nil
}

// classReport shows the classes report (GET /lop-hoc/bao-cao?org=&year=&asof=&months=).
func (h *Handler) classReport(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	rq, err := h.reportParams(r)
	if err != nil {
		return err
	}
	rep, err := h.svc.ClassReport(r.Context(), rq)
	if err != nil {
		return err
	}
	v := classReportView{R: rep, Org: rep.Org.Code, Year: rep.Year, AsOf: rep.AsOf, Months: rep.Months,
		Lines: []reportLine{{domain.ProgrammeName(domain.ProgAwareness), rep.Awareness}, {domain.ProgrammeName(domain.ProgNewMember), rep.NewMember}}}
	if rep.Other.Classes > 0 {
		v.Lines = append(v.Lines, reportLine{domain.ProgrammeName(domain.ProgOther), rep.Other})
	}
	return h.render(w, r, http.StatusOK, "class_report", "Báo cáo lớp bồi dưỡng: "+rep.Org.Name, "classes", v)
}

// classPeopleRow is a person of a report's list.
type classPeopleRow struct {
	ID        int64
	Name      string
	BirthDate time.Time
	Stage     string
	Unit      string
	UnitCode  string
	Since     time.Time // in the pool since (not sent)
	Cert      *domain.Certificate
}

type classPeopleView struct {
	Kind    string // "not-sent" or "holders"
	Title   string
	Lead    string
	Org     *domain.Org
	AsOf    time.Time
	Months  int
	Lapse   int
	Rows    []classPeopleRow
	Total   int
	Page    int
	Pages   int
	First   int
	PrevURL string
	NextURL string
}

func pageLinks(v *classPeopleView, path string, kv ...any) {
	if v.Page > 1 {
		v.PrevURL = string(href(path, append(kv, "page", v.Page-1)...))
	}
	if v.Page < v.Pages {
		v.NextURL = string(href(path, append(kv, "page", v.Page+1)...))
	}
}

// classNotSent lists the sources not sent to any class for more than N
// months (GET /lop-hoc/chua-cu-di-hoc?org=&asof=&months=&page=).
func (h *Handler) classNotSent(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	rq, err := h.reportParams(r)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	res, err := h.svc.SourcesNotSent(r.Context(), service.PoolQuery{ReportQuery: rq.ReportQuery, Months: rq.Months, Page: page})
	if err != nil {
		return err
	}
	months := res.Months
	v := classPeopleView{Kind: "not-sent", Org: res.Org, AsOf: res.AsOf, Months: months, Total: res.Total, Page: res.Page,
		Pages: res.Pages(), First: (res.Page-1)*res.PerPage + 1,
		Title: "Quần chúng ưu tú chưa được cử đi học lớp nhận thức về Đảng quá " + strconv.Itoa(months) + " tháng",
		Lead: "Vào danh sách quần chúng ưu tú từ ngày " + vn.Date(res.Cutoff) + " trở về trước và chưa học lớp nào tính đến ngày " +
			vn.Date(res.AsOf) + "."}
	for _, p := range res.People {
		v.Rows = append(v.Rows, classPeopleRow{ID: p.ID, Name: p.FullName, BirthDate: p.BirthDate, Stage: p.Stage, Unit: p.OrgName,
			UnitCode: p.OrgCode, Since: p.Since})
	}
	pageLinks(&v, "/lop-hoc/chua-cu-di-hoc", "org", res.Org.Code, "asof", res.AsOf, "months", rq.Months)
	return h.render(w, r, http.StatusOK, "class_people", v.Title, "classes", v)
}

// classHolders lists the sources and candidates with a valid awareness
// certificate, or only those lapsing within lapse_days days
// (GET /lop-hoc/giay-chung-nhan?org=&asof=&lapse_days=&page=).
func (h *Handler) classHolders(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	rq, err := h.reportParams(r)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	res, err := h.svc.AwarenessHolders(r.Context(), service.PoolQuery{ReportQuery: rq.ReportQuery, LapseDays: rq.LapseDays, Page: page})
	if err != nil {
		return err
	}
	v := classPeopleView{Kind: "holders", Org: res.Org, AsOf: res.AsOf, Lapse: rq.LapseDays, Total: res.Total, Page: res.Page,
		Pages: res.Pages(), First: (res.Page-1)*res.PerPage + 1,
		Title: "Quần chúng có giấy chứng nhận nhận thức về Đảng còn hiệu lực, chưa được kết nạp",
		Lead:  "Giấy chứng nhận có giá trị 60 tháng đến khi chi bộ xét kết nạp (HD 06 §5.4b); tính đến ngày " + vn.Date(res.AsOf) + "."}
	if rq.LapseDays > 0 {
		v.Title = "Giấy chứng nhận nhận thức về Đảng sắp hết hạn"
		v.Lead = "Hết hạn trong " + strconv.Itoa(rq.LapseDays) + " ngày, đến ngày " + vn.Date(res.Until) +
			": chi bộ cần xét kết nạp trước ngày hết hạn, nếu không quần chúng phải học lại."
	}
	for _, p := range res.People {
		v.Rows = append(v.Rows, classPeopleRow{ID: p.ID, Name: p.FullName, BirthDate: p.BirthDate, Stage: p.Stage, Unit: p.OrgName,
			UnitCode: p.OrgCode, Cert: p.Cert})
	}
	pageLinks(&v, "/lop-hoc/giay-chung-nhan", "org", res.Org.Code, "asof", res.AsOf, "lapse_days", rq.LapseDays)
	return h.render(w, r, http.StatusOK, "class_people", v.Title, "classes", v)
}

// notSentBlock is the dashboard's block: sources not sent to any class for
// more than six months, per unit, each a link to its list.
type notSentBlock struct {
	Total  int
	Months int
	Units  []domain.ChapterCount
	More   int
	AsOf   time.Time
	Org    string
}

// classAlerts returns the dashboard's block for the unit, nil when there is nothing to show.
func (h *Handler) classAlerts(ctx context.Context, org *domain.Org, asof time.Time) *notSentBlock {
	units, err := h.svc.SourcesNotSentByUnit(ctx, service.ReportQuery{OrgCode: org.Code, AsOf: asof}, service.DefaultNotSentMonths)
	if err != nil || len(units) == 0 {
		return nil
	}
	b := &notSentBlock{Months: service.DefaultNotSentMonths, Units: units, AsOf: asof, Org: org.Code}
	for _, u := range units {
		b.Total += u.Count
	}
	if len(b.Units) > 10 {
		b.More, b.Units = len(b.Units)-10, b.Units[:10]
	}
	return b
}
