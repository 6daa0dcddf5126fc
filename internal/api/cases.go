package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// The admission procedure in the API: cases, their steps, their scans,
// and "Việc cần làm".

// registerCases adds the routes of the admission procedure. A step the
// rules refuse answers 422 with the failing verdicts:
// {"error": {"code": "invalid", "message": "…", "checks": [{rule, ok, message, source}]}}.
func (a *API) registerCases(auth func(string, handlerFunc)) {
	route := func(pattern string, h handlerFunc) { auth(pattern, caseRefusals(h)) }
	route("GET /api/v1/cases", a.listCases)
	route("POST /api/v1/cases", a.openCase)
	route("GET /api/v1/cases/{id}", a.getCase)
	route("POST /api/v1/cases/{id}/{action}", a.caseAction)
	route("DELETE /api/v1/cases/{id}/introducers/{iid}", a.removeIntroducer)
	route("POST /api/v1/cases/{id}/verifications/{vid}/reply", a.replyVerification)
	route("POST /api/v1/cases/{id}/verifications/{vid}/received", a.verificationReceived)
	route("POST /api/v1/cases/{id}/files", a.uploadFile)
	route("GET /api/v1/cases/{id}/files/{fid}", a.downloadFile)
	route("GET /api/v1/people/{id}/cases", a.personCases)
	route("POST /api/v1/chapter-meetings", a.chapterMeeting)
	route("GET /api/v1/todo", a.todo)
	route("GET /api/v1/todo/counts", a.todoCounts)
}

// caseRefusalBody is the error shape of a step refused by the rules.
type caseRefusalBody struct {
	Error struct {
		httpx.ErrorDetail
		Checks []rules.Verdict `json:"checks"`
	} `json:"error"`
}

// caseRefusals renders a *service.RefusedError with its checks.
func caseRefusals(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := h(w, r)
		if re, ok := errors.AsType[*service.RefusedError](err); ok {
			var b caseRefusalBody
			b.Error.ErrorDetail = httpx.ErrorDetail{Code: re.Err.Code, Message: re.Err.Message, Field: re.Err.Field}
			b.Error.Checks = re.Checks
			httpx.WriteJSON(w, httpx.Status(re.Err.Code), b)
			return nil
		}
		return err
	}
}

// Case JSON.

type caseRefJSON struct {
	ID       int64  `json:"id"`
	FullName string `json:"full_name"`
}

func caseOrgRef(o *domain.Org) *orgRef {
	if o == nil {
		return nil
	}
	return &orgRef{Code: o.Code, Name: o.Name}
}

type caseNextJSON struct {
	Action    string `json:"action"`
	Owner     string `json:"owner"`
	OwnerName string `json:"owner_name"`
	Due       *date  `json:"due"`
	Overdue   bool   `json:"overdue"`
}

func caseNextOf(c *domain.Case, today time.Time) caseNextJSON {
	n := caseNextJSON{Action: c.NextAction, Owner: c.NextOwner, OwnerName: domain.OwnerNames[c.NextOwner], Due: datePtr(c.NextDue)}
	n.Overdue = c.NextDue != nil && c.NextDue.Before(today)
	return n
}

// CaseJSON is a case with everything its page shows.
type CaseJSON struct {
	ID          int64           `json:"id"`
	Version     int64           `json:"version"`
	Person      caseRefJSON     `json:"person"`
	BirthDate   date            `json:"birth_date"`
	Org         orgRef          `json:"org"`
	Kind        string          `json:"kind"`
	Stage       string          `json:"stage"`
	StageName   string          `json:"stage_name"`
	OpenedOn    date            `json:"opened_on"`
	Helper      *caseRefJSON    `json:"helper"`
	Dossier     *date           `json:"dossier_opened"`
	Certificate *caseDocJSON    `json:"certificate"`
	Facts       caseFactsJSON   `json:"facts"`
	Readmission *caseReadmJSON  `json:"readmission"`
	Rules       orgRef          `json:"rules"`
	Ladder      caseLadderJSON  `json:"ladder"`
	Decision    *caseDocJSON    `json:"decision"`
	Received    *date           `json:"decision_received"`
	Ceremony    *date           `json:"ceremony_date"`
	Recognition *caseDocJSON    `json:"recognition"`
	ClosedOn    *date           `json:"closed_on"`
	CloseReason string          `json:"close_reason,omitempty"`
	PausedOn    *date           `json:"paused_on"`
	PauseReason string          `json:"pause_reason,omitempty"`
	Next        caseNextJSON    `json:"next"`
	Overdue     bool            `json:"overdue"`
	Introducers []caseIntroJSON `json:"introducers"`
	Documents   []caseDocJSON   `json:"documents"`
	Votes       []caseVoteJSON  `json:"votes"`
	Verify      []caseVerJSON   `json:"verifications"`
	Consents    []caseDocJSON   `json:"consents"`
	Exceptions  []caseExcJSON   `json:"exceptions"`
	Transfers   []caseTrJSON    `json:"transfers"`
	Corrections []caseCorrJSON  `json:"corrections"`
	Files       []caseFileJSON  `json:"files"`
	Checklist   []caseCheckJSON `json:"checklist"`
	Checks      []caseVerdJSON  `json:"checks"`
	Deadlines   []caseDlJSON    `json:"deadlines"`
	Timeline    []caseEvJSON    `json:"timeline"`
}

type caseDocJSON struct {
	Kind   string `json:"kind,omitempty"`
	Name   string `json:"name,omitempty"`
	Number string `json:"number"`
	Date   *date  `json:"date"`
	Note   string `json:"note,omitempty"`
}

type caseFactsJSON struct {
	HardshipArea     bool `json:"hardship_area"`
	VillageElder     bool `json:"village_elder"`
	YouthUnionExists bool `json:"youth_union_exists"`
	PoliticalIssue   bool `json:"political_issue"`
}

type caseReadmJSON struct {
	LeftOn        *date  `json:"left_on"`
	Ground        string `json:"ground"`
	RecordCleared *date  `json:"record_cleared"`
}

type caseLadderJSON struct {
	Decider      *orgRef `json:"decider"`
	Subcommittee bool    `json:"subcommittee"`
	Committee    bool    `json:"committee"`
	Authorised   bool    `json:"authorised"`
}

type caseIntroJSON struct {
	ID             int64       `json:"id"`
	Person         caseRefJSON `json:"person"`
	Official       bool        `json:"official"`
	MonthsTogether int         `json:"months_together"`
	LetterDate     *date       `json:"letter_date"`
	Waived         bool        `json:"waived"`
	WaiverReason   string      `json:"waiver_reason,omitempty"`
}

type caseVoteJSON struct {
	ID       int64  `json:"id"`
	Purpose  string `json:"purpose"`
	Level    string `json:"level"`
	Date     date   `json:"date"`
	Number   string `json:"number"`
	Members  int    `json:"members"`
	Excluded int    `json:"excluded"`
	Counted  int    `json:"counted"`
	Present  int    `json:"present"`
	Yes      int    `json:"yes"`
	No       int    `json:"no"`
	Passed   bool   `json:"passed"`
	Rules    string `json:"rules"`
}

type caseVerJSON struct {
	ID         int64  `json:"id"`
	Subject    string `json:"subject"`
	Addressee  string `json:"addressee"`
	SentOn     date   `json:"sent_on"`
	ReceivedOn *date  `json:"received_on"`
	Abroad     bool   `json:"abroad"`
	Due        date   `json:"due"`
	RepliedOn  *date  `json:"replied_on"`
	Result     string `json:"result"`
}

type caseExcJSON struct {
	Rule     string    `json:"rule"`
	Reason   string    `json:"reason"`
	Message  string    `json:"message"`
	Username string    `json:"username"`
	At       time.Time `json:"at"`
}

type caseTrJSON struct {
	ID         int64  `json:"id"`
	From       string `json:"from"`
	To         string `json:"to"`
	Date       date   `json:"date"`
	ReceivedOn *date  `json:"received_on"`
	Stage      string `json:"stage"`
	Reason     string `json:"reason"`
}

type caseFileJSON struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedAt  time.Time `json:"uploaded_at"`
	UploadedBy  string    `json:"uploaded_by"`
}

type caseCheckJSON struct {
	Kind    string  `json:"kind"`
	Code    string  `json:"code"`
	Name    string  `json:"name"`
	Phase   string  `json:"phase"`
	Needed  bool    `json:"needed"`
	Done    bool    `json:"done"`
	Number  string  `json:"number,omitempty"`
	Date    *date   `json:"date"`
	FileIDs []int64 `json:"file_ids"`
}

type caseVerdJSON struct {
	rules.Verdict
	Exception *caseExcJSON `json:"exception,omitempty"`
	// Due: not met yet, and not due before this day (pending, not failing).
	Due *date `json:"due,omitempty"`
}

type caseDlJSON struct {
	Kind        string `json:"kind"`
	Due         date   `json:"due"`
	Extended    *date  `json:"extended"`
	Owner       string `json:"owner"`
	Label       string `json:"label"`
	Overdue     bool   `json:"overdue"`
	Provisional bool   `json:"provisional"` // counted from a stand-in date: the receipt it counts from is not recorded
}

type caseEvJSON struct {
	Date date   `json:"date"`
	What string `json:"what"`
}

func caseExcOf(x *domain.CaseException) caseExcJSON {
	return caseExcJSON{Rule: x.Rule, Reason: x.Reason, Message: x.Message, Username: x.Username, At: x.At}
}

// caseJSON is the case of a view with everything its page shows.
func (a *API) caseJSON(r *http.Request, v *service.CaseView) CaseJSON {
	c := v.Case
	out := CaseJSON{ID: c.ID, Version: c.Version, Person: caseRefJSON{v.Person.ID, v.Person.FullName}, BirthDate: date{v.Person.BirthDate},
		Org: *caseOrgRef(v.Org), Kind: c.Kind, Stage: c.Stage, StageName: domain.CaseStageName(c.Stage), OpenedOn: date{c.OpenedOn},
		Dossier: datePtr(c.DossierOpened), Facts: caseFactsJSON{c.HardshipArea, c.VillageElder, c.YouthUnionExists, c.PoliticalIssue},
		Rules: orgRef{v.RulesID, v.RulesName}, Received: datePtr(c.DecisionReceived), Ceremony: datePtr(c.CeremonyDate),
		ClosedOn: datePtr(c.ClosedOn), CloseReason: c.CloseReason, PausedOn: datePtr(c.PausedOn), PauseReason: c.PauseReason,
		Next: caseNextOf(c, v.Today), Overdue: v.Overdue,
		Ladder: caseLadderJSON{caseOrgRef(v.Decider), v.Subcommittee, v.Committee, v.Authorised}}
	if v.Helper != nil {
		out.Helper = &caseRefJSON{v.Helper.ID, v.Helper.FullName}
	}
	if c.CertificateDate != nil {
		out.Certificate = &caseDocJSON{Number: c.CertificateNo, Date: datePtr(c.CertificateDate)}
	}
	if c.Kind == domain.CaseReadmission {
		out.Readmission = &caseReadmJSON{datePtr(c.LeftOn), c.LeftGround, datePtr(c.RecordCleared)}
	}
	if c.DecisionDate != nil {
		out.Decision = &caseDocJSON{Number: c.DecisionNo, Date: datePtr(c.DecisionDate)}
	}
	if c.RecognitionDate != nil {
		out.Recognition = &caseDocJSON{Number: c.RecognitionNo, Date: datePtr(c.RecognitionDate)}
	}
	out.recordsOf(v)
	out.Transfers = a.transfersJSON(r, v.Transfers)
	out.judgementOf(v)
	return out
}

// recordsOf sets what is recorded on the case: introducers, documents,
// votes, verifications, consents, exceptions and scans.
func (out *CaseJSON) recordsOf(v *service.CaseView) {
	out.Introducers = []caseIntroJSON{}
	for _, x := range v.Introducers {
		out.Introducers = append(out.Introducers, caseIntroJSON{x.ID, caseRefJSON{x.Person.ID, x.Person.FullName},
			x.Person.Stage == domain.StageOfficial, x.MonthsTogether, datePtr(x.LetterDate), x.Waived, x.WaiverReason})
	}
	out.Documents = []caseDocJSON{}
	for _, x := range v.Documents {
		out.Documents = append(out.Documents, caseDocJSON{x.Kind, domain.DocumentNames[x.Kind], x.Number, datePtr(&x.Date), x.Note})
	}
	out.Votes = []caseVoteJSON{}
	for _, x := range v.Votes {
		out.Votes = append(out.Votes, caseVoteJSON{x.ID, x.Purpose, x.Level, date{x.Date}, x.Number, x.Members, x.Excluded, x.Counted(),
			x.Present, x.Yes, x.No, x.Passed, x.RulesID})
	}
	out.Verify = []caseVerJSON{}
	for _, x := range v.Verifications {
		out.Verify = append(out.Verify, caseVerJSON{x.ID, x.Subject, x.Addressee, date{x.SentOn}, datePtr(x.ReceivedOn), x.Abroad, date{x.Due},
			datePtr(x.RepliedOn), x.Result})
	}
	out.Consents = []caseDocJSON{}
	for _, x := range v.Consents {
		out.Consents = append(out.Consents, caseDocJSON{Kind: x.Kind, Name: rules.ConsentName(rules.Consent(x.Kind)), Number: x.Number, Date: datePtr(&x.Date)})
	}
	out.Exceptions = []caseExcJSON{}
	for _, x := range v.Exceptions {
		out.Exceptions = append(out.Exceptions, caseExcOf(x))
	}
	out.Corrections = correctionsJSON(v.Corrections)
	out.Files = []caseFileJSON{}
	for _, x := range v.Files {
		out.Files = append(out.Files, caseFileJSON{x.ID, x.Kind, x.Name, x.ContentType, x.Size, x.SHA256, x.UploadedAt, x.UploadedBy})
	}
}

// transfersJSON are the transfers with the codes of their chapters.
func (a *API) transfersJSON(r *http.Request, list []*domain.CaseTransfer) []caseTrJSON {
	out := []caseTrJSON{}
	var ids []int64
	for _, x := range list {
		ids = append(ids, x.FromOrgID, x.ToOrgID)
	}
	refs, _ := a.svc.OrgRefs(r.Context(), ids...)
	for _, x := range list {
		tr := caseTrJSON{ID: x.ID, Date: date{x.Date}, ReceivedOn: datePtr(x.ReceivedOn), Stage: x.Stage, Reason: x.Reason}
		if o := refs[x.FromOrgID]; o != nil {
			tr.From = o.Code
		}
		if o := refs[x.ToOrgID]; o != nil {
			tr.To = o.Code
		}
		out = append(out, tr)
	}
	return out
}

// judgementOf sets what the rules make of the case: the checklist, the
// verdicts, the deadlines and the timeline.
func (out *CaseJSON) judgementOf(v *service.CaseView) {
	for _, x := range v.Checklist {
		ids := x.FileIDs
		if ids == nil {
			ids = []int64{}
		}
		out.Checklist = append(out.Checklist, caseCheckJSON{x.Kind, x.Code, x.Name, x.Phase, x.Needed, x.Done, x.Number, datePtr(x.Date), ids})
	}
	out.Checks = []caseVerdJSON{}
	for _, x := range v.Verdicts {
		vj := caseVerdJSON{Verdict: x.Verdict, Due: datePtr(x.Due)}
		if x.Exception != nil {
			e := caseExcOf(x.Exception)
			vj.Exception = &e
		}
		out.Checks = append(out.Checks, vj)
	}
	out.Deadlines = []caseDlJSON{}
	for _, x := range v.Deadlines {
		out.Deadlines = append(out.Deadlines, caseDlJSON{x.Kind, date{x.Due}, datePtr(x.Extended), x.Owner, x.Label, x.Overdue, x.Provisional})
	}
	out.Timeline = []caseEvJSON{}
	for _, x := range v.Timeline {
		out.Timeline = append(out.Timeline, caseEvJSON{date{x.Date}, x.What})
	}
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := a.svc.Case(r.Context(), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.caseJSON(r, v))
	return nil
}

// caseRowJSON is a case in a list.
type caseRowJSON struct {
	ID        int64        `json:"id"`
	Version   int64        `json:"version"`
	Person    caseRefJSON  `json:"person"`
	BirthDate date         `json:"birth_date"`
	Org       orgRef       `json:"org"`
	Kind      string       `json:"kind"`
	Stage     string       `json:"stage"`
	StageName string       `json:"stage_name"`
	OpenedOn  date         `json:"opened_on"`
	ClosedOn  *date        `json:"closed_on"`
	Next      caseNextJSON `json:"next"`
	Overdue   bool         `json:"overdue"`
}

func (a *API) listCases(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, per, err := pageParams(r, 50)
	if err != nil {
		return err
	}
	var stages []string
	if s := q.Get("stage"); s != "" {
		stages = strings.Split(s, ",")
	}
	asof, err := queryDate(r, "asof", time.Time{})
	if err != nil {
		return err
	}
	res, err := a.svc.Cases(r.Context(), service.CaseQuery{OrgCode: q.Get("org"), Direct: q.Get("direct") == "true", Stages: stages,
		Open: q.Get("open") == "true", Overdue: q.Get("overdue") == "true", Query: q.Get("q"), AsOf: asof, Page: page, PerPage: per})
	if err != nil {
		return err
	}
	out := []caseRowJSON{}
	for _, c := range res.Cases {
		out = append(out, caseRowJSON{ID: c.ID, Version: c.Version, Person: caseRefJSON{c.PersonID, c.FullName}, BirthDate: date{c.BirthDate},
			Org: orgRef{c.OrgCode, c.OrgName}, Kind: c.Kind, Stage: c.Stage, StageName: domain.CaseStageName(c.Stage),
			OpenedOn: date{c.OpenedOn}, ClosedOn: datePtr(c.ClosedOn), Next: caseNextOf(c.Case, res.Today), Overdue: c.Overdue})
	}
	body := map[string]any{"cases": out, "total": res.Total, "page": res.Page, "per_page": res.PerPage, "pages": res.Pages()}
	if res.More {
		body["total_more"] = true // more than total (the count stops at 10,000)
	}
	httpx.WriteJSON(w, http.StatusOK, body)
	return nil
}

func (a *API) personCases(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	list, err := a.svc.PersonCases(r.Context(), id)
	if err != nil {
		return err
	}
	today := a.svc.DefaultAsOf(r.Context())
	out := []map[string]any{}
	for _, c := range list {
		out = append(out, map[string]any{"id": c.ID, "version": c.Version, "kind": c.Kind, "stage": c.Stage,
			"stage_name": domain.CaseStageName(c.Stage), "opened_on": date{c.OpenedOn}, "closed_on": datePtr(c.ClosedOn),
			"next": caseNextOf(c, today)})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"cases": out})
	return nil
}

func (a *API) todo(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, per, err := pageParams(r, 50)
	if err != nil {
		return err
	}
	days, err := queryInt(r, "days", 30)
	if err != nil {
		return err
	}
	var kinds []string
	if s := q.Get("kind"); s != "" {
		kinds = strings.Split(s, ",")
	}
	asof, err := queryDate(r, "asof", time.Time{})
	if err != nil {
		return err
	}
	res, err := a.svc.Todo(r.Context(), service.TodoQuery{OrgCode: q.Get("org"), Overdue: q.Get("overdue") == "true", Kinds: kinds,
		Days: days, AsOf: asof, Page: page, PerPage: per})
	if err != nil {
		return err
	}
	items := []map[string]any{}
	for _, x := range res.Items {
		items = append(items, map[string]any{"case_id": x.CaseID, "version": x.Version, "kind": x.Kind,
			"kind_name": domain.DeadlineNames[x.Kind], "due": date{x.Due}, "extended": datePtr(x.Extended), "overdue": x.Overdue,
			"owner": x.Owner, "owner_name": x.OwnerName, "label": x.Label, "stage": x.Stage, "next_action": x.NextAction,
			"person": x.FullName, "org": orgRef{x.OrgCode, x.OrgName}})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "total": res.Total, "page": res.Page, "per_page": res.PerPage,
		"pages": res.Pages(), "today": date{res.Today}, "until": date{res.Until}})
	return nil
}

func (a *API) todoCounts(w http.ResponseWriter, r *http.Request) error {
	days, err := queryInt(r, "days", 30)
	if err != nil {
		return err
	}
	asof, err := queryDate(r, "asof", time.Time{})
	if err != nil {
		return err
	}
	counts, err := a.svc.TodoCounts(r.Context(), r.URL.Query().Get("org"), days, asof)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, c := range counts {
		out = append(out, map[string]any{"kind": c.Kind, "name": c.Name, "overdue": c.Overdue, "due": c.Due})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"counts": out})
	return nil
}

func casePathInt(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENotFound, "Mã số %q không hợp lệ", r.PathValue(name))
	}
	return id, nil
}
