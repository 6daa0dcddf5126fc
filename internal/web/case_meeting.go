package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// The chapter meeting: one form records the chapter's vote on several
// candidates of one chapter, one row each, through service.ChapterMeeting.
// The meeting votes on each candidate separately (HD06 §3.6a) and the
// service records each vote as its own step, so the page reports every
// row's result: the votes recorded (passed, or below the threshold and so
// not admitted) and the rows refused, which stay in the form with what
// was typed, the message and the failing verdicts, to be corrected and
// sent again. Nothing is recorded when the meeting's own fields are wrong.

// meetingPurposes are what a chapter meeting votes on, with the stage
// its candidates wait at.
var meetingPurposes = []struct{ Code, Name, Stage string }{
	{domain.PurposeAdmission, "Đề nghị kết nạp (hồ sơ đã đủ)", domain.CaseDossier},
	{domain.PurposeRecognition, "Đề nghị công nhận đảng viên chính thức", domain.CaseProbation},
	{domain.PurposeStrikeOff, "Đề nghị xóa tên đảng viên dự bị", domain.CaseProbation},
}

// meetingRow is one candidate's row of the meeting.
type meetingRow struct {
	domain.CaseRow
	Checked         bool
	Number, Yes, No string
	Error           string
	Checks          []rules.Verdict
}

// meetingDone is a vote recorded by the last post.
type meetingDone struct {
	ID     int64
	Name   string
	Stage  string
	Passed bool
}

type meetingView struct {
	Org      *domain.Org
	OrgCode  string
	Purpose  string
	Purposes []struct{ Code, Name, Stage string }
	Rows     []meetingRow
	Done     []meetingDone
	Failed   int
	Date     string
	Number   string
	Members  string
	Excluded string
	Present  string
	Official int // official members of the chapter on file
	Errors   errs
	Recorded int // from the redirect after a post where every row was recorded
	Passed   int
	Chapter  bool
}

// NotPassed is how many recorded votes did not pass.
func (v *meetingView) NotPassed() int { return v.Recorded - v.Passed }

// caseMeeting shows the meeting's form for a chapter
// (GET /ho-so/hop-chi-bo?org=&purpose=).
func (h *Handler) caseMeeting(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	q := r.URL.Query()
	v, err := h.meetingView(r, u, strings.TrimSpace(q.Get("org")), q.Get("purpose"))
	if err != nil || v == nil {
		return err
	}
	v.Recorded, _ = strconv.Atoi(q.Get("ghi"))
	v.Passed, _ = strconv.Atoi(q.Get("dat"))
	return h.render(w, r, http.StatusOK, "case_meeting", "Họp chi bộ", "cases", v)
}

// meetingView loads the chapter's candidates waiting for the purpose's vote.
func (h *Handler) meetingView(r *http.Request, u *domain.User, code, purpose string) (*meetingView, error) {
	ctx := r.Context()
	if !mayChapter(u) {
		return nil, domain.Errorf(domain.EForbidden, "Vai trò %s không ghi biểu quyết của chi bộ", domain.RoleName(u.Role))
	}
	v := &meetingView{OrgCode: code, Purpose: purpose, Purposes: meetingPurposes, Errors: errs{}, Chapter: true,
		Date: iso(h.svc.DefaultAsOf(ctx))}
	stage := ""
	for _, p := range meetingPurposes {
		if p.Code == purpose {
			stage = p.Stage
		}
	}
	if stage == "" {
		v.Purpose, stage = domain.PurposeAdmission, domain.CaseDossier
	}
	if code == "" {
		home, err := h.svc.HomeOrg(ctx)
		if err != nil {
			return nil, err
		}
		if !home.Kind.IsChapter() {
			return v, nil // the form asks for a chapter
		}
		code = home.Code
	}
	o, err := h.svc.Org(ctx, code)
	if err != nil {
		return nil, err
	}
	v.OrgCode = o.Code
	if !o.Kind.IsChapter() {
		v.Errors["org"] = o.Name + " không phải là chi bộ: hãy nhập mã một chi bộ"
		return v, nil
	}
	v.Org = o
	res, err := h.svc.Cases(ctx, service.CaseQuery{OrgCode: o.Code, Direct: true, Stages: []string{stage}, Open: true, PerPage: 200})
	if err != nil {
		return nil, err
	}
	for _, c := range res.Cases {
		if c.PausedOn == nil {
			v.Rows = append(v.Rows, meetingRow{CaseRow: c, Checked: true})
		}
	}
	members, err := h.svc.People(ctx, service.PeopleQuery{OrgCode: o.Code, Stages: []string{domain.StageOfficial}, PerPage: 1})
	if err != nil {
		return nil, err
	}
	v.Official = members.Total
	if v.Official > 0 {
		v.Members = strconv.Itoa(v.Official)
	}
	return v, nil
}

// caseMeetingSave records the meeting's votes (POST /ho-so/hop-chi-bo).
func (h *Handler) caseMeetingSave(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
	}
	f := &postForm{v: r.PostForm, e: errs{}}
	v, err := h.meetingView(r, u, f.s("org"), f.s("purpose"))
	if err != nil {
		return err
	}
	if v.Org == nil {
		return h.render(w, r, http.StatusUnprocessableEntity, "case_meeting", "Họp chi bộ", "cases", v)
	}
	v.Date, v.Number, v.Members, v.Excluded, v.Present = f.s("date"), f.s("number"), f.s("members"), f.s("excluded"), f.s("present")
	in := service.MeetingInput{Purpose: v.Purpose, Date: f.date("date", "Ngày họp"), Number: v.Number,
		Members: f.n("members", "Số đảng viên chính thức"), Excluded: f.n("excluded", "Số không tính"), Present: f.n("present", "Số có mặt")}
	sent := v.readRows(f, &in)
	switch {
	case len(f.e) == 0 && len(sent) > 0:
		res, err := h.svc.ChapterMeeting(r.Context(), in)
		if err != nil {
			if !isUserError(err) {
				return err
			}
			f.e.add(err, "date", "number", "members", "excluded", "present")
		} else if err := v.results(res, sent); err != nil {
			return err
		}
	case len(f.e) == 0:
		f.e[""] = "Chưa chọn người nào (hoặc các dòng đã chọn còn lỗi)"
	}
	v.keepUnrecorded()
	v.Errors = f.e
	if len(f.e) == 0 && v.Failed == 0 {
		passed := 0
		for _, d := range v.Done {
			if d.Passed {
				passed++
			}
		}
		http.Redirect(w, r, string(href("/ho-so/hop-chi-bo", "org", v.OrgCode, "purpose", v.Purpose, "ghi", len(v.Done), "dat", passed)), http.StatusSeeOther)
		return nil
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "case_meeting", "Họp chi bộ", "cases", v)
}

// readRows reads the rows as typed, by case, and adds the checked ones
// that parse to the meeting's votes; it returns their indexes in v.Rows,
// in order.
func (v *meetingView) readRows(f *postForm, in *service.MeetingInput) []int {
	checked := map[string]bool{}
	for _, id := range f.v["case"] {
		checked[id] = true
	}
	var sent []int
	for i := range v.Rows {
		row := &v.Rows[i]
		id := strconv.FormatInt(row.ID, 10)
		row.Checked, row.Number, row.Yes, row.No = checked[id], f.s("number."+id), f.s("yes."+id), f.s("no."+id)
		if !row.Checked {
			continue
		}
		re := errs{}
		yes, no := re.int("yes", "Số tán thành", row.Yes), re.int("no", "Số không tán thành", row.No)
		version, _ := strconv.ParseInt(f.s("version."+id), 10, 64) // the service checks it
		switch {
		case len(re) > 0:
			row.Error = strings.Join(nonEmpty(re["yes"], re["no"]), "; ")
		case yes == nil:
			row.Error = "Cần số đảng viên tán thành"
		default:
			mv := service.MeetingVote{CaseID: row.ID, Version: version, Number: row.Number, Yes: *yes}
			if no != nil {
				mv.No = *no
			}
			in.Votes = append(in.Votes, mv)
			sent = append(sent, i)
		}
	}
	return sent
}

// results puts each candidate's result on its row: recorded, or refused
// with its message and failing verdicts. A failure that is not the row's
// (forbidden, internal) is returned.
func (v *meetingView) results(res []service.MeetingResult, sent []int) error {
	for k, x := range res {
		row := &v.Rows[sent[k]]
		if x.Err != nil {
			if domain.ErrorCode(x.Err) == domain.EInternal || domain.ErrorCode(x.Err) == domain.EForbidden {
				return x.Err
			}
			row.Error = domain.ErrorMessage(x.Err)
			if re, ok := errors.AsType[*service.RefusedError](x.Err); ok {
				row.Checks = re.Checks
			}
			continue
		}
		v.Done = append(v.Done, meetingDone{ID: x.CaseID, Name: row.FullName, Stage: x.Case.Stage,
			Passed: x.Case.Stage != domain.CaseRefused && x.Case.Stage != domain.CaseProbation && x.Case.Stage != domain.CaseVoteFailed})
		row.Checked = false
	}
	return nil
}

// keepUnrecorded keeps the rows not recorded, what stays to do, and counts
// those refused.
func (v *meetingView) keepUnrecorded() {
	kept := v.Rows[:0]
	for _, row := range v.Rows {
		if !slices.ContainsFunc(v.Done, func(d meetingDone) bool { return d.ID == row.ID }) {
			kept = append(kept, row)
			if row.Error != "" {
				v.Failed++
			}
		}
	}
	v.Rows = kept
}

// meetingLink is the meeting page of a chapter for a purpose.
func meetingLink(org, purpose string) string {
	return "/ho-so/hop-chi-bo?" + url.Values{"org": {org}, "purpose": {purpose}}.Encode()
}

func init() {
	funcs["meetingLink"] = meetingLink
}
