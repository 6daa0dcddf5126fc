package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// "Việc cần làm": the deadlines of the open cases in the user's scope that
// are overdue or fall due soon, soonest first; and the dashboard's block
// of counts that links to them.

// todoKinds are the deadline kinds in the order of the procedure.
var todoKinds = []string{domain.DeadlineVerification, domain.DeadlineCertificateLapse, domain.DeadlineDossierLapse,
	domain.DeadlineDecision, domain.DeadlineTransfer, domain.DeadlineConclusion, domain.DeadlineCeremony, domain.DeadlineRecognitionVote, domain.DeadlineRecognition}

// todoDays is how far ahead "due soon" looks.
const todoDays = 30

type todoView struct {
	Org     *domain.Org
	OrgCode string
	Kind    string
	Overdue bool
	Days    int
	AsOf    time.Time // zero: the date pages open on
	Kinds   codeNames
	Page    *service.TodoPage
	Counts  *todoBlock
	Chapter bool
	First   int
	Prev    string
	Next    string
}

// todo lists what is due (GET /viec-can-lam?org=&kind=&overdue=1&days=&page=).
func (h *Handler) todo(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	q := r.URL.Query()
	v := todoView{OrgCode: strings.TrimSpace(q.Get("org")), Kind: q.Get("kind"), Overdue: q.Get("overdue") != "", Days: todoDays,
		Chapter: mayChapter(u)}
	for _, k := range todoKinds {
		v.Kinds = append(v.Kinds, struct{ Code, Name string }{k, domain.DeadlineNames[k]})
	}
	if s := q.Get("days"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return domain.FieldError("days", "Số ngày %q không hợp lệ", s)
		}
		v.Days = n
	}
	if s := q.Get("asof"); s != "" {
		d, err := vn.ParseDate(s)
		if err != nil {
			return domain.FieldError("asof", "Ngày tính đến: %s", err.Error())
		}
		v.AsOf = d
	}
	if v.OrgCode != "" {
		o, err := h.svc.Org(ctx, v.OrgCode)
		if err != nil {
			return err
		}
		v.Org = o
	}
	page, _ := strconv.Atoi(q.Get("page"))
	tq := service.TodoQuery{OrgCode: v.OrgCode, Overdue: v.Overdue, Days: v.Days, AsOf: v.AsOf, Page: max(page, 1), PerPage: 50}
	if v.Kind != "" {
		tq.Kinds = []string{v.Kind}
	}
	res, err := h.svc.Todo(ctx, tq)
	if err != nil {
		return err
	}
	v.Page, v.First = res, (res.Page-1)*res.PerPage+1
	if v.Counts, err = h.todoBlock(ctx, v.OrgCode, v.Days, v.AsOf); err != nil {
		return err
	}
	link := func(p int) string {
		days := 0
		if v.Days != todoDays {
			days = v.Days
		}
		return string(href("/viec-can-lam", "org", v.OrgCode, "kind", v.Kind, "overdue", flag(v.Overdue), "days", days, "asof", v.AsOf, "page", p))
	}
	if res.Page > 1 {
		v.Prev = link(res.Page - 1)
	}
	if res.Page < res.Pages() {
		v.Next = link(res.Page + 1)
	}
	title := "Việc cần làm"
	if v.Org != nil {
		title += ": " + v.Org.Name
	}
	return h.render(w, r, http.StatusOK, "todo", title, "todo", v)
}

// todoCount is one kind's line of the counts, with its links.
type todoCount struct {
	service.TodoCount
	DueLink, OverdueLink string
}

// todoBlock is the counts of what is due, by kind, under a unit.
type todoBlock struct {
	OrgCode string
	Days    int
	Today   time.Time
	Lines   []todoCount
	Due     int // all kinds, overdue included
	Overdue int
	Lapsing int // dossiers and certificates about to lapse (overdue included)
	AllLink string
	LateAll string
}

// todoBlock counts the deadlines under the unit ("" for the user's scope)
// as of the day (zero: the date pages open on, left out of the links).
func (h *Handler) todoBlock(ctx context.Context, org string, days int, asof time.Time) (*todoBlock, error) {
	counts, err := h.svc.TodoCounts(ctx, org, days, asof)
	if err != nil {
		return nil, err
	}
	b := &todoBlock{OrgCode: org, Days: days, Today: asof}
	if asof.IsZero() {
		b.Today = h.svc.DefaultAsOf(ctx)
	}
	d := 0
	if days != todoDays {
		d = days
	}
	for _, c := range counts {
		b.Lines = append(b.Lines, todoCount{TodoCount: c,
			DueLink:     string(href("/viec-can-lam", "org", org, "kind", c.Kind, "days", d, "asof", asof)),
			OverdueLink: string(href("/viec-can-lam", "org", org, "kind", c.Kind, "overdue", "1", "asof", asof))})
		b.Due += c.Due
		b.Overdue += c.Overdue
		if c.Kind == domain.DeadlineDossierLapse || c.Kind == domain.DeadlineCertificateLapse {
			b.Lapsing += c.Due
		}
	}
	b.AllLink = string(href("/viec-can-lam", "org", org, "days", d, "asof", asof))
	b.LateAll = string(href("/viec-can-lam", "org", org, "overdue", "1", "asof", asof))
	return b, nil
}
