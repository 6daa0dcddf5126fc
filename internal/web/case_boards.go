package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// The lists of the steps after the chapter: the cases waiting for the
// admission decision (the organization board's), for the ceremony (the
// chapter's), the probation tracker, and the cases waiting for the
// recognition or striking-off decision. Each row links to the case and,
// for those who may take the step, carries the step's form, which posts
// to the case's action and comes back here.

// boardRow is a case in one of the lists.
type boardRow struct {
	domain.CaseRow
	Late          bool // the next step's deadline has passed
	Ready         bool // the step of this list is the next one (no committee vote or consent missing)
	ProbationEnd  *time.Time
	NewMemberCert *domain.Certificate // the new-member class's certificate, probation only
	Purpose       string              // the decision's purpose (recognition or strike_off) on the recognition list
	Rule          string              // the decision's time limit under the case's own rule set, on the decisions list
}

// decisionRule is the admission decision's time limit of the rule set
// the case's chapter resolution was judged by (the set in force on its
// date): 60 working days under QĐ24, 45 under QĐ294.
func decisionRule(c *domain.Case, today time.Time) string {
	set, ok := rules.ByID(c.RulesID)
	if !ok {
		set = rules.InForce(today)
	}
	d := set.DecisionDeadline
	s := strconv.Itoa(d.Workdays) + " ngày làm việc"
	if d.Extension > 0 {
		s += ", gia hạn không quá " + strconv.Itoa(d.Extension) + " ngày"
	}
	return s + " (" + d.Source + ")"
}

type boardView struct {
	Board    string // decisions, ceremonies, probation, recognitions
	Path     string
	DueLabel string
	OrgCode  string
	Org      *domain.Org
	Rows     []boardRow
	Page     *service.CasePage
	First    int
	Prev     string
	Next     string
	Here     string // this page's URL, where the forms come back to
	Chapter  bool
	Act      bool // the user may take this list's step
	Today    time.Time
	Notice   string
	Defaults struct{ Date string }
}

// boards are the lists: path, stages, title, and who takes the step.
var boards = map[string]struct {
	path, title, due string
	stages           []string
	board            bool
}{
	"decisions":    {"/ho-so/quyet-dinh", "Hồ sơ chờ quyết định kết nạp", "Hạn quyết định", []string{domain.CaseChapterVoted, domain.CaseCommitteeVoted, domain.CaseVoteFailed}, true},
	"ceremonies":   {"/ho-so/le-ket-nap", "Lễ kết nạp", "Hạn lễ kết nạp", []string{domain.CaseDecided}, false},
	"probation":    {"/ho-so/du-bi", "Theo dõi đảng viên dự bị", "Hạn chi bộ xét công nhận", []string{domain.CaseProbation}, false},
	"recognitions": {"/ho-so/cong-nhan", "Chờ quyết định công nhận chính thức, xóa tên", "Hạn quyết định", []string{domain.CaseRecognitionVote, domain.CaseStrikeOffVote}, true},
}

// boardFormArgs is the argument of a row's step form.
type boardFormArgs struct {
	V   boardView
	Row boardRow
}

func init() {
	funcs["boardForm"] = func(v boardView, row boardRow) boardFormArgs { return boardFormArgs{V: v, Row: row} }
}

func (h *Handler) caseDecisions(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.caseBoard(w, r, u, "decisions")
}

func (h *Handler) caseCeremonies(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.caseBoard(w, r, u, "ceremonies")
}

func (h *Handler) caseProbation(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.caseBoard(w, r, u, "probation")
}

func (h *Handler) caseRecognitions(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return h.caseBoard(w, r, u, "recognitions")
}

// caseBoard shows one of the lists (GET /ho-so/quyet-dinh, /ho-so/le-ket-nap,
// /ho-so/du-bi, /ho-so/cong-nhan, each with ?org=&page=) in name order,
// with each case's deadline (the same deadlines soonest first: /viec-can-lam).
func (h *Handler) caseBoard(w http.ResponseWriter, r *http.Request, u *domain.User, name string) error {
	ctx := r.Context()
	b := boards[name]
	q := r.URL.Query()
	v := boardView{Board: name, Path: b.path, DueLabel: b.due, OrgCode: strings.TrimSpace(q.Get("org")), Chapter: mayChapter(u),
		Notice: caseNotices[q.Get("da")]}
	v.Act = (b.board && mayBoard(u)) || (!b.board && mayChapter(u))
	if v.OrgCode != "" {
		o, err := h.svc.Org(ctx, v.OrgCode)
		if err != nil {
			return err
		}
		v.Org = o
	}
	page, _ := strconv.Atoi(q.Get("page"))
	res, err := h.svc.Cases(ctx, service.CaseQuery{OrgCode: v.OrgCode, Stages: b.stages, Open: true, Page: max(page, 1), PerPage: casesPerPage})
	if err != nil {
		return err
	}
	v.Page, v.First, v.Today = res, (res.Page-1)*res.PerPage+1, res.Today
	v.Defaults.Date = iso(res.Today)
	v.Here = string(href(b.path, "org", v.OrgCode, "page", page))
	for _, c := range res.Cases {
		row := boardRow{CaseRow: c, Late: c.NextDue != nil && c.NextDue.Before(res.Today)}
		switch name {
		case "decisions":
			row.Ready = c.NextOwner == domain.OwnerBoard && c.PausedOn == nil
			row.Rule = decisionRule(c.Case, res.Today)
		case "ceremonies":
			row.Ready = c.PausedOn == nil
		case "recognitions":
			row.Ready = c.NextOwner == domain.OwnerBoard && c.PausedOn == nil
			row.Purpose = domain.PurposeRecognition
			if c.Stage == domain.CaseStrikeOffVote {
				row.Purpose = domain.PurposeStrikeOff
			}
		case "probation":
			row.Ready = c.PausedOn == nil
			if c.CeremonyDate != nil {
				set := rules.InForce(*c.CeremonyDate)
				end := rules.ProbationEnd(&set, *c.CeremonyDate)
				row.ProbationEnd = &end
			}
			certs, err := h.svc.PersonCertificates(ctx, c.PersonID)
			if err != nil {
				return err
			}
			for _, k := range certs {
				if k.Programme == domain.ProgNewMember {
					row.NewMemberCert = k
				}
			}
		}
		v.Rows = append(v.Rows, row)
	}
	link := func(p int) string { return string(href(b.path, "org", v.OrgCode, "page", p)) }
	if res.Page > 1 {
		v.Prev = link(res.Page - 1)
	}
	if res.Page < res.Pages() {
		v.Next = link(res.Page + 1)
	}
	title := b.title
	if v.Org != nil {
		title += ": " + v.Org.Name
	}
	return h.render(w, r, http.StatusOK, "case_board", title, "cases", v)
}
