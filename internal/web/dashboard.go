package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/progress"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// option is an organization offered in a selector.
type option struct {
	Code   string
	Name   string
	Indent bool
}

type dashboardView struct {
	Empty    bool // no organization exists yet
	Org      *domain.Org
	P        *service.Progress
	Year     int
	AsOf     time.Time
	Crumbs   []*domain.Org
	Units    []option
	Ranked   []*progress.Result
	Lists    []classList
	Chart    chart
	CanWrite bool
	// ClassAlerts: sources not sent to any class for more than six months, per unit.
	ClassAlerts *notSentBlock
	// Todo: the unit's admission deadlines due and overdue, by kind.
	Todo *todoBlock
}

// classList is one of the four lists of direct children.
type classList struct {
	ID    string
	Title string
	Class string
	Units []*progress.Result
}

// dashboard shows the progress of a unit (GET /?org=&year=&asof=). The
// page is the same for a user until the data changes: it is answered from
// the response cache while the data version stands.
func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if h.opts.Cache == nil {
		return h.dashboardPage(w, r, u)
	}
	stamp, err := h.svc.CacheStamp(r.Context())
	if err != nil {
		return err
	}
	key := httpx.Key("/", "user@"+strconv.FormatInt(u.ID, 10), r, "org", "year", "asof")
	return h.opts.Cache.Serve(w, key, stamp, func(w http.ResponseWriter) error { return h.dashboardPage(w, r, u) })
}

func (h *Handler) dashboardPage(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	q, err := reportQuery(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Progress(ctx, q)
	if err != nil {
		if q.OrgCode == "" && domain.ErrorCode(err) == domain.ENotFound {
			// no home unit: no organization exists yet.
			return h.render(w, r, http.StatusOK, "dashboard", "Tiến độ kết nạp", "dashboard",
				dashboardView{Empty: true, CanWrite: u.CanWrite("org")})
		}
		return err
	}
	crumbs, err := h.svc.Ancestors(ctx, p.Org)
	if err != nil {
		return err
	}
	asof := p.AsOf
	v := dashboardView{Org: p.Org, P: p, Year: p.Year, AsOf: asof, Crumbs: crumbs, CanWrite: u.CanWrite("org")}
	for i, c := range crumbs {
		v.Units = append(v.Units, option{Code: c.Code, Name: c.Name, Indent: i > 0})
	}
	v.Ranked = rank(p.Children)
	for _, c := range v.Ranked {
		v.Units = append(v.Units, option{Code: c.Code, Name: c.Name, Indent: true})
	}
	v.Lists = classify(v.Ranked)
	v.Chart = newChart(v.Ranked, r.URL.Query().Get("bieu-do") == "tat-ca")
	v.ClassAlerts = h.classAlerts(ctx, p.Org, asof)
	if v.Todo, err = h.todoBlock(ctx, p.Org.Code, todoDays, asof); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "dashboard", "Tiến độ kết nạp: "+p.Org.Name, "dashboard", v)
}

// rank orders children by quota percent, highest first; those without a
// quota come last (by plan percent, then name).
func rank(children []*progress.Result) []*progress.Result {
	out := slices.Clone(children)
	vn.SortByText(out, func(r *progress.Result) string { return r.Name }, func(a, b *progress.Result) int {
		if c := progress.ComparePercent(a.QuotaPercent, b.QuotaPercent); c != 0 {
			return c
		}
		if c := progress.ComparePercent(a.PlanPercent, b.PlanPercent); c != 0 {
			return c
		}
		return cmp.Compare(b.Admitted, a.Admitted)
	})
	return out
}

// classify splits the ranked children into the four lists of the
// conference report: above, on, below target, and nobody admitted.
func classify(ranked []*progress.Result) []classList {
	lists := []classList{
		{ID: "list-above", Title: "Đơn vị vượt chỉ tiêu", Class: progress.ClassAbove},
		{ID: "list-on", Title: "Đơn vị đạt chỉ tiêu", Class: progress.ClassOn},
		{ID: "list-below", Title: "Đơn vị chưa đạt chỉ tiêu", Class: progress.ClassBelow},
		{ID: "list-none", Title: "Đơn vị chưa kết nạp được đảng viên nào", Class: progress.ClassNone},
	}
	for _, c := range ranked {
		switch {
		case c.Admitted == 0:
			lists[3].Units = append(lists[3].Units, c)
		case c.Class == progress.ClassAbove:
			lists[0].Units = append(lists[0].Units, c)
		case c.Class == progress.ClassOn:
			lists[1].Units = append(lists[1].Units, c)
		case c.Class == progress.ClassBelow:
			lists[2].Units = append(lists[2].Units, c)
		}
	}
	return lists
}
