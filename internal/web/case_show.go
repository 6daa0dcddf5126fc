package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// The candidate page: the path, the next step, the deadlines, the
// checklist, the verdicts with their sources, the timeline, and the
// actions the current stage allows as forms (case_actions.go).

// caseID reads the {id} of the path.
func caseID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENotFound, "Không tìm thấy hồ sơ kết nạp %q", r.PathValue("id"))
	}
	return id, nil
}

func caseURL(id int64) string { return "/ho-so/" + strconv.FormatInt(id, 10) }

// pathStep is one stage of the path on the page's progress line.
type pathStep struct {
	Code, Name    string
	Done, Current bool
}

// caseForm is a form the service refused: what was typed, the errors by
// field and the failing verdicts.
type caseForm struct {
	Action  string
	Values  url.Values
	Errors  errs
	Checks  []rules.Verdict
	Choices []memberChoice // the members of an ambiguous name typed
}

// caseShowView is the data of the candidate page.
type caseShowView struct {
	C       *service.CaseView
	Path    []pathStep
	Chapter bool // the user may record the chapter's steps on this (open) case
	Board   bool // … and the committees' and the competent body's
	Can     map[string]bool
	Notice  string
	Form    caseForm
	// Pickers and choices for the forms.
	Members      []*domain.Person // official members of the chapter
	Certs        []*domain.Certificate
	DocKinds     codeNames
	FileKinds    codeNames
	Subjects     codeNames
	ConsentKinds codeNames
	Exceptable   codeNames
	Purpose      string   // the purpose of the ladder votes the stage waits for
	Levels       []string // the levels of that ladder still to vote
	Decision     string   // the purpose of the decision the stage waits for, "" none
	Pending      []*domain.CaseVerification
	Orgs         map[int64]*domain.Org   // the chapters of the transfers
	Failing      int                     // verdicts failing without an exception
	Docs         []service.ChecklistItem // the checklist of the current phase
	LaterDocs    []service.ChecklistItem // the other phase's (to come, or done)
	Fix          *fixForm                // the fact selected for correction (?dinh-chinh=), nil when none
	FixOptions   codeNames               // the facts the user may correct
	defaults     url.Values
}

// formArgs is the argument of the sub-templates of the page's forms.
type formArgs struct {
	V       *caseShowView
	Form    string // the form's name
	Purpose string // a vote's or decision's purpose
	Level   string // a vote's level ("" to choose), or a closing form's path segment
	Title   string
}

// docsArgs is the argument of a checklist table.
type docsArgs struct {
	V       *caseShowView
	Items   []service.ChecklistItem
	Current bool // the phase the case is in: missing documents are marked
}

// memberArgs is the argument of the member picker.
type memberArgs struct {
	V                  *caseShowView
	Form, Field, Label string
}

func init() {
	funcs["caseVote"] = func(v *caseShowView, form, purpose, level, title string) formArgs {
		return formArgs{V: v, Form: form, Purpose: purpose, Level: level, Title: title}
	}
	funcs["caseDocs"] = func(v *caseShowView, items []service.ChecklistItem, current bool) docsArgs {
		return docsArgs{V: v, Items: items, Current: current}
	}
	funcs["caseMember"] = func(v *caseShowView, form, field, label string) memberArgs {
		return memberArgs{V: v, Form: form, Field: field, Label: label}
	}
}

// Val is the value of a form's field: what the user typed when that form
// was refused, else the default.
func (v *caseShowView) Val(action, field string) string {
	if v.Form.Action == action {
		return v.Form.Values.Get(field)
	}
	return v.defaults.Get(action + "." + field)
}

// Checked reports whether a form's check box is ticked.
func (v *caseShowView) Checked(action, field string) bool { return v.Val(action, field) != "" }

// Errs are the errors of a form (none unless it was the refused one).
func (v *caseShowView) Errs(action string) errs {
	if v.Form.Action == action {
		return v.Form.Errors
	}
	return errs{}
}

// Choices are the members of the name typed in the refused form, when
// several have it.
func (v *caseShowView) Choices(action string) []memberChoice {
	if v.Form.Action == action {
		return v.Form.Choices
	}
	return nil
}

// Refused reports whether the form is the one refused (to open it).
func (v *caseShowView) Refused(action string) bool { return v.Form.Action == action }

// Checks are the failing verdicts of the refused form.
func (v *caseShowView) Checks(action string) []rules.Verdict {
	if v.Form.Action == action {
		return v.Form.Checks
	}
	return nil
}

// notices are the confirmations after an action (?da=).
var caseNotices = map[string]string{
	"mo": "Đã lập hồ sơ kết nạp.", "dieu-kien": "Đã lưu các điều kiện xét kết nạp.", "giup-do": "Đã phân công đảng viên giúp đỡ.",
	"gioi-thieu": "Đã ghi người giới thiệu.", "bo-gioi-thieu": "Đã bỏ người giới thiệu.", "chung-nhan": "Đã ghi giấy chứng nhận.",
	"lap-ho-so": "Đã ghi ngày lập hồ sơ.", "van-ban": "Đã ghi văn bản.", "tham-tra": "Đã ghi yêu cầu thẩm tra lý lịch.",
	"tra-loi": "Đã ghi kết quả thẩm tra.", "dong-y": "Đã ghi văn bản đồng ý.", "ngoai-le": "Đã ghi ngoại lệ.",
	"bieu-quyet": "Đã ghi kết quả biểu quyết.", "quyet-dinh": "Đã ghi quyết định.", "nhan-quyet-dinh": "Đã ghi ngày nhận quyết định.",
	"le-ket-nap": "Đã ghi lễ kết nạp; bắt đầu 12 tháng dự bị.", "chuyen": "Đã chuyển hồ sơ.", "rut": "Đã rút khỏi danh sách.",
	"khong-ket-nap": "Đã ghi không kết nạp.", "tam-dung": "Đã tạm dừng hồ sơ.", "tiep-tuc": "Đã tiếp tục hồ sơ.",
	"tep": "Đã lưu bản quét.",
}

// caseShow shows a case (GET /ho-so/{id}).
func (h *Handler) caseShow(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	v, err := h.caseView(r, u, id)
	if err != nil {
		return err
	}
	v.Notice = caseNotices[r.URL.Query().Get("da")]
	return h.renderCase(w, r, http.StatusOK, v)
}

func (h *Handler) renderCase(w http.ResponseWriter, r *http.Request, status int, v *caseShowView) error {
	return h.render(w, r, status, "case_show", "Hồ sơ kết nạp: "+v.C.Person.FullName, "cases", v)
}

// caseView loads a case and decides which forms its stage offers.
func (h *Handler) caseView(r *http.Request, u *domain.User, id int64) (*caseShowView, error) {
	ctx := r.Context()
	c, err := h.svc.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	open := !c.Closed()
	v := &caseShowView{C: c, Chapter: open && mayChapter(u), Board: open && mayBoard(u), Can: map[string]bool{},
		Form: caseForm{Errors: errs{}}, defaults: url.Values{}}
	v.Path = casePath(c)
	phase := domain.PurposeAdmission
	if c.CeremonyDate != nil {
		phase = domain.PurposeRecognition
	}
	for _, it := range c.Checklist {
		if it.Phase == phase {
			v.Docs = append(v.Docs, it)
		} else {
			v.LaterDocs = append(v.LaterDocs, it)
		}
	}
	for _, x := range c.Verdicts {
		if x.Failing() {
			v.Failing++
		}
	}
	ids := []int64{}
	for _, t := range c.Transfers {
		ids = append(ids, t.FromOrgID, t.ToOrgID)
	}
	if v.Orgs, err = h.svc.OrgsByIDs(ctx, ids); err != nil {
		return nil, err
	}
	if !open {
		return v, nil
	}
	before := c.Stage == domain.CaseSource || c.Stage == domain.CaseDossier
	v.allow(before)
	if err := h.casePickers(ctx, v); err != nil {
		return nil, err
	}
	v.choices(before)
	v.corrections(u, r.URL.Query().Get("dinh-chinh"))
	return v, nil
}

// allow decides which forms the open case's stage offers the user, and
// which ladder votes and decision it waits for.
func (v *caseShowView) allow(before bool) {
	c := v.C
	admitted := c.Admitted()
	lapsed := false // the dossier is more than 12 months old: it is opened anew
	for _, d := range c.Deadlines {
		lapsed = lapsed || (d.Kind == domain.DeadlineDossierLapse && d.Overdue)
	}
	for _, x := range c.Verifications {
		if x.RepliedOn == nil {
			v.Pending = append(v.Pending, x)
		}
	}
	ch, bd := v.Chapter, v.Board
	set := func(name string, ok bool) { v.Can[name] = ok }
	set("facts", ch && !admitted)
	set("helper", ch)
	set("certificate", ch && before)
	set("dossier", ch && (c.Stage == domain.CaseSource || (c.Stage == domain.CaseDossier && lapsed)))
	set("documents", ch && (before || c.CeremonyDate != nil))
	set("introducer", ch && before)
	set("verification", ch && before)
	set("reply", ch && len(v.Pending) > 0)
	set("consent", bd && !admitted)
	set("exception", bd)
	set("admission-vote", ch && c.Stage == domain.CaseDossier)
	set("probation-vote", ch && c.Stage == domain.CaseProbation)
	set("received", ch && c.Stage == domain.CaseDecided)
	set("ceremony", ch && c.Stage == domain.CaseDecided)
	set("transfer", bd)
	set("withdraw", ch && !admitted && c.Stage != domain.CaseVoteFailed)
	set("refuse", bd && !admitted && c.Stage != domain.CaseVoteFailed) // a failed vote ends by the deciding body's conclusion
	set("conclusion", bd && c.Stage == domain.CaseVoteFailed)
	set("transfer-received", bd && len(c.Transfers) > 0 && c.Transfers[len(c.Transfers)-1].ReceivedOn == nil)
	set("pause", ch && c.PausedOn == nil)
	set("resume", ch && c.PausedOn != nil)
	set("upload", ch)
	switch c.Stage {
	case domain.CaseChapterVoted, domain.CaseCommitteeVoted:
		v.Purpose, v.Decision = domain.PurposeAdmission, domain.PurposeAdmission
	case domain.CaseRecognitionVote:
		v.Purpose, v.Decision = domain.PurposeRecognition, domain.PurposeRecognition
	case domain.CaseStrikeOffVote:
		v.Purpose, v.Decision = domain.PurposeStrikeOff, domain.PurposeStrikeOff
	}
	if v.Purpose != "" {
		v.Levels = pendingLevels(c, v.Purpose)
	}
	set("upper-vote", bd && len(v.Levels) > 0)
	set("decision", bd && v.Decision != "" && len(v.Levels) == 0)
	if c.Referred {
		// the chapter's third failed vote: the upper committee decides
		// either way (QĐ294 §4.2.3); the form asks which
		set("decision", bd)
	}
}

// casePickers loads what the allowed forms pick from: the chapter's
// official members, the candidate's awareness certificates.
func (h *Handler) casePickers(ctx context.Context, v *caseShowView) error {
	c := v.C
	if v.Can["helper"] || v.Can["introducer"] || v.Can["ceremony"] {
		res, err := h.svc.People(ctx, service.PeopleQuery{OrgCode: c.Org.Code, Stages: []string{domain.StageOfficial}, PerPage: 200})
		if err != nil {
			return err
		}
		for _, p := range res.People {
			if p.ID != c.Person.ID {
				v.Members = append(v.Members, p)
			}
		}
	}
	if v.Can["certificate"] {
		certs, err := h.svc.PersonCertificates(ctx, c.Person.ID)
		if err != nil {
			return err
		}
		for _, k := range certs {
			if k.Programme == domain.ProgAwareness {
				v.Certs = append(v.Certs, k)
			}
		}
	}
	return nil
}

// choices fills the lists the forms choose from and their defaults.
func (v *caseShowView) choices(before bool) {
	c := v.C
	kinds := []string{domain.DocNewMemberCertificate, rules.FormSelfReview, rules.FormHelperAssessment, rules.FormProbationOpinions}
	if before {
		kinds = []string{rules.FormApplication, rules.FormPersonalHistory, rules.FormYouthUnionResolution, rules.FormTradeUnionResolution, rules.FormOpinions}
	}
	for _, k := range kinds {
		v.DocKinds = append(v.DocKinds, struct{ Code, Name string }{k, domain.DocumentNames[k]})
	}
	for _, it := range c.Checklist {
		v.FileKinds = append(v.FileKinds, struct{ Code, Name string }{it.Kind, it.Name})
	}
	v.FileKinds = append(v.FileKinds, struct{ Code, Name string }{"verification", "Kết quả thẩm tra lý lịch"},
		struct{ Code, Name string }{"consent", "Văn bản đồng ý của Ban Thường vụ Tỉnh ủy"}, struct{ Code, Name string }{"other", "Văn bản khác"})
	for _, k := range []string{"candidate", "father", "mother", "guardian", "father_law", "mother_law", "spouse", "child", "other"} {
		v.Subjects = append(v.Subjects, struct{ Code, Name string }{k, domain.VerificationSubjects[k]})
	}
	for _, k := range []rules.Consent{rules.ConsentOver60, rules.ConsentLiterateOnly, rules.ConsentPolitical, rules.ConsentReadmission} {
		v.ConsentKinds = append(v.ConsentKinds, struct{ Code, Name string }{string(k), rules.ConsentName(k)})
	}
	// The rules an exception may waive, then the failing rules of the case
	// it may not: choosing one answers why (the product never blocks a
	// user silently, DOMAIN §5).
	var failing string
	for _, w := range c.Waivers {
		if w.Allowed {
			v.Exceptable = append(v.Exceptable, struct{ Code, Name string }{w.Rule, ruleName(w.Rule)})
		}
	}
	for _, x := range c.Verdicts {
		if !x.Failing() {
			continue
		}
		if !x.Waivable && !slices.ContainsFunc(v.Exceptable, func(e struct{ Code, Name string }) bool { return e.Code == x.Rule }) {
			v.Exceptable = append(v.Exceptable, struct{ Code, Name string }{x.Rule, ruleName(x.Rule) + " (không được ghi ngoại lệ)"})
		}
		if x.Waivable && failing == "" {
			failing = x.Rule
		}
	}
	today := iso(c.Today)
	d := v.defaults
	for _, a := range []string{"dossier", "documents", "verification", "consent", "admission-vote", "recognition-vote", "strike-off-vote",
		"upper-vote", "decision", "received", "ceremony", "transfer", "withdraw", "refuse", "pause", "reply", "conclusion", "transfer-received"} {
		d.Set(a+".date", today)
	}
	d.Set("verification.sent_on", today)
	for _, x := range v.Pending {
		d.Set("reply-"+strconv.FormatInt(x.ID, 10)+".date", today)
		d.Set("received-"+strconv.FormatInt(x.ID, 10)+".date", today)
	}
	d.Set("exception.rule", failing)
	if len(v.Levels) > 0 {
		d.Set("upper-vote.level", v.Levels[0])
	}
	for _, f := range []struct {
		name string
		on   bool
	}{{"hardship_area", c.HardshipArea}, {"village_elder", c.VillageElder}, {"youth_union_exists", c.YouthUnionExists}, {"political_issue", c.PoliticalIssue}} {
		if f.on {
			d.Set("facts."+f.name, "1")
		}
	}
	if c.Helper != nil {
		d.Set("helper.person_id", strconv.FormatInt(c.Helper.ID, 10))
	}
}

// pendingLevels are the levels between the chapter and the decision that
// the purpose's ladder still needs, in order.
func pendingLevels(c *service.CaseView, purpose string) []string {
	var chapter time.Time
	passed := map[string]bool{}
	for _, x := range c.Votes {
		if x.Purpose != purpose {
			continue
		}
		if x.Level == domain.LevelChapter {
			chapter, passed = x.Date, map[string]bool{}
		}
		if x.Passed && !x.Date.Before(chapter) {
			passed[x.Level] = true
		}
	}
	var out []string
	if c.Subcommittee && !passed[domain.LevelSubcommittee] {
		out = append(out, domain.LevelSubcommittee)
	}
	if c.Committee && !passed[domain.LevelCommittee] {
		out = append(out, domain.LevelCommittee)
	}
	return out
}

// casePath marks the stages of the path: done, current, to come; a case
// that ended off the path ends its line with the closing stage.
func casePath(c *service.CaseView) []pathStep {
	codes := []string{domain.CaseSource, domain.CaseDossier, domain.CaseChapterVoted}
	if c.Committee || c.Subcommittee {
		codes = append(codes, domain.CaseCommitteeVoted)
	}
	codes = append(codes, domain.CaseDecided, domain.CaseProbation, domain.CaseRecognitionVote, domain.CaseOfficial)
	cur := c.Stage
	if cur == domain.CaseStrikeOffVote {
		cur = domain.CaseRecognitionVote
	}
	at := slices.Index(codes, cur)
	if at < 0 { // refused, withdrawn, struck off: cut the line where it stopped
		at = reached(c, codes)
		codes = append(codes[:at+1:at+1], c.Stage)
		at++
	}
	out := make([]pathStep, len(codes))
	for i, code := range codes {
		name := domain.CaseStageName(code)
		if code == domain.CaseRecognitionVote && c.Stage == domain.CaseStrikeOffVote {
			code, name = c.Stage, domain.CaseStageName(c.Stage)
		}
		out[i] = pathStep{Code: code, Name: name, Done: i < at || (i == at && code == domain.CaseOfficial), Current: i == at}
	}
	return out
}

// reached is the index of the last stage on the path a closed case got to.
func reached(c *service.CaseView, codes []string) int {
	at := 0
	mark := func(code string, ok bool) {
		if i := slices.Index(codes, code); ok && i > at {
			at = i
		}
	}
	mark(domain.CaseDossier, c.DossierOpened != nil)
	for _, x := range c.Votes {
		if x.Purpose == domain.PurposeAdmission && x.Passed {
			switch x.Level {
			case domain.LevelChapter:
				mark(domain.CaseChapterVoted, true)
			case domain.LevelCommittee:
				mark(domain.CaseCommitteeVoted, true)
			}
		}
	}
	mark(domain.CaseDecided, c.DecisionDate != nil)
	mark(domain.CaseProbation, c.CeremonyDate != nil)
	return at
}
