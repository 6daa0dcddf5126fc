package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// The admission procedure's pages (DOMAIN §5): the list of cases, the
// candidate page and its actions, the chapter meeting, the lists of the
// organization board (decisions, ceremonies, probation, recognition) and
// "Việc cần làm". The screens are in the case_*.go and todo.go files.

// registerCases adds the admission procedure's pages to mux.
func (h *Handler) registerCases(mux *http.ServeMux) {
	mux.Handle("GET /ho-so", h.page(h.caseList))
	mux.Handle("GET /ho-so/hop-chi-bo", h.page(h.caseMeeting))
	mux.Handle("POST /ho-so/hop-chi-bo", h.page(h.caseMeetingSave))
	mux.Handle("GET /ho-so/quyet-dinh", h.page(h.caseDecisions))
	mux.Handle("GET /ho-so/le-ket-nap", h.page(h.caseCeremonies))
	mux.Handle("GET /ho-so/du-bi", h.page(h.caseProbation))
	mux.Handle("GET /ho-so/cong-nhan", h.page(h.caseRecognitions))
	mux.Handle("GET /ho-so/{id}", h.page(h.caseShow))
	mux.Handle("POST /ho-so/{id}/{action}", h.page(h.caseAction))
	mux.Handle("POST /ho-so/{id}/gioi-thieu/{iid}/xoa", h.page(h.caseRemoveIntroducer))
	mux.Handle("POST /ho-so/{id}/tham-tra/{vid}/tra-loi", h.page(h.caseReply))
	mux.Handle("POST /ho-so/{id}/tep", h.uploadPage(h.caseUpload))
	mux.Handle("GET /ho-so/{id}/tep/{fid}", h.page(h.caseDownload))
	mux.Handle("GET /nguoi/{id}/mo-ho-so", h.page(h.caseOpenForm))
	mux.Handle("POST /nguoi/{id}/mo-ho-so", h.page(h.caseOpen))
	mux.Handle("GET /viec-can-lam", h.page(h.todo))
}

func init() {
	funcs["caseStage"] = domain.CaseStageName
	funcs["owner"] = func(code string) string { return domain.OwnerNames[code] }
	funcs["deadline"] = func(kind string) string { return domain.DeadlineNames[kind] }
	funcs["docName"] = func(kind string) string { return domain.DocumentNames[kind] }
	funcs["level"] = func(code string) string { return domain.LevelNames[code] }
	funcs["purpose"] = func(code string) string { return domain.PurposeNames[code] }
	funcs["ruleName"] = ruleName
	funcs["consentName"] = func(kind string) string { return rules.ConsentName(rules.Consent(kind)) }
	funcs["subject"] = func(code string) string { return domain.VerificationSubjects[code] }
	funcs["size"] = fileSize
	funcs["caseTabs"] = caseTabs
}

// caseTabLinks are the lists of the procedure, shown as tabs on each.
var caseTabLinks = []struct {
	Path, Name string
	Chapter    bool // only for those who record the chapter's steps
}{
	{"/ho-so", "Tất cả hồ sơ", false},
	{"/viec-can-lam", "Việc cần làm", false},
	{"/ho-so/hop-chi-bo", "Họp chi bộ", true},
	{"/ho-so/quyet-dinh", "Chờ quyết định kết nạp", false},
	{"/ho-so/le-ket-nap", "Lễ kết nạp", false},
	{"/ho-so/du-bi", "Đảng viên dự bị", false},
	{"/ho-so/cong-nhan", "Công nhận chính thức", false},
}

// caseTabs renders the tabs of the procedure's lists, current marked.
func caseTabs(current string, chapter bool) template.HTML {
	var b strings.Builder
	b.WriteString(`<nav class="tabs noprint" aria-label="Các danh sách hồ sơ kết nạp"><ul>`)
	for _, t := range caseTabLinks {
		if t.Chapter && !chapter {
			continue
		}
		b.WriteString(`<li><a href="` + t.Path + `"`)
		if t.Path == current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(`>` + template.HTMLEscapeString(t.Name) + `</a></li>`)
	}
	b.WriteString(`</ul></nav>`)
	return template.HTML(b.String())
}

// ruleName is the Vietnamese name of a rule a case is judged by.
func ruleName(code string) string { return rules.RuleName(code) }

// fileSize prints a size in bytes, KB or MB the Vietnamese way.
func fileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return decimal(float64(n)/(1<<20)) + " MB"
	case n >= 1<<10:
		return vn.Int(int((n+512)>>10)) + " KB"
	}
	return vn.Int(int(n)) + " byte"
}

// mayChapter and mayBoard mirror the service's roles for the steps: the
// chapter's steps are open to secretaries, organizers and admins, the
// steps of the committees and the competent body to organizers and admins.
// The pages use them only to decide which forms to show.
func mayChapter(u *domain.User) bool {
	return u.Role == domain.RoleAdmin || u.Role == domain.RoleOrganizer || u.Role == domain.RoleSecretary
}

func mayBoard(u *domain.User) bool {
	return u.Role == domain.RoleAdmin || u.Role == domain.RoleOrganizer
}

const casesPerPage = 50

// closedStages are the stages that end a case.
var closedStages = map[string]bool{domain.CaseOfficial: true, domain.CaseStruckOff: true, domain.CaseRefused: true, domain.CaseWithdrawn: true}

// caseRow is a case in a list.
type caseRow struct {
	domain.CaseRow
	NextOverdue bool // the next step's deadline has passed
}

type caseListView struct {
	Org      *domain.Org // the unit filtered on, nil for the whole scope
	OrgCode  string
	Stage    string
	Overdue  bool
	All      bool // closed cases too
	Q        string
	Stages   codeNames
	Rows     []caseRow
	Page     *service.CasePage
	First    int
	Chapter  bool // may record the chapter's steps
	Board    bool
	Previous string // the query of the previous page, "" on the first
	Next     string
}

// caseList lists the cases in the user's scope, 50 a page, in Vietnamese
// name order (GET /ho-so?org=&stage=&overdue=1&all=1&q=&page=).
func (h *Handler) caseList(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	ctx := r.Context()
	qv := r.URL.Query()
	v := caseListView{OrgCode: strings.TrimSpace(qv.Get("org")), Stage: qv.Get("stage"), Overdue: qv.Get("overdue") != "",
		All: qv.Get("all") != "", Q: vn.Clean(qv.Get("q")), Stages: domain.CaseStages, Chapter: mayChapter(u), Board: mayBoard(u)}
	page, _ := strconv.Atoi(qv.Get("page"))
	cq := service.CaseQuery{OrgCode: v.OrgCode, Open: !v.All, Overdue: v.Overdue, Query: v.Q, Page: max(page, 1), PerPage: casesPerPage}
	if v.Stage != "" {
		cq.Stages = []string{v.Stage}
		cq.Open = cq.Open && !closedStages[v.Stage]
	}
	if v.OrgCode != "" {
		o, err := h.svc.Org(ctx, v.OrgCode)
		if err != nil {
			return err
		}
		v.Org = o
	}
	res, err := h.svc.Cases(ctx, cq)
	if err != nil {
		return err
	}
	v.Page, v.First = res, (res.Page-1)*res.PerPage+1
	for _, c := range res.Cases {
		v.Rows = append(v.Rows, caseRow{CaseRow: c, NextOverdue: c.NextDue != nil && c.NextDue.Before(res.Today)})
	}
	link := func(p int) string {
		return string(href("/ho-so", "org", v.OrgCode, "stage", v.Stage, "overdue", flag(v.Overdue), "all", flag(v.All), "q", v.Q, "page", p))
	}
	if res.Page > 1 {
		v.Previous = link(res.Page - 1)
	}
	if res.Page < res.Pages() {
		v.Next = link(res.Page + 1)
	}
	title := "Hồ sơ kết nạp"
	if v.Org != nil {
		title += ": " + v.Org.Name
	}
	return h.render(w, r, http.StatusOK, "case_list", title, "cases", v)
}

// flag is "1" for true, "" (left out of a link) for false.
func flag(b bool) string {
	if b {
		return "1"
	}
	return ""
}
