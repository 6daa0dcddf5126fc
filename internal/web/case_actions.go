package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// The actions of the candidate page: POST /ho-so/{id}/{action}, one
// service call each, with the version of the case the user saw (the
// service checks it). Done, the
// browser goes back to the page (or to the list it came from, next=);
// refused, the page is shown again with what was typed, the message next
// to the field, and the failing verdicts with their sources (422), or the
// conflict message when someone changed the case meanwhile (409).

// postForm reads a posted form, collecting parse errors by field.
type postForm struct {
	v       url.Values
	e       errs
	form    string         // the form on the page to show again when refused
	choices []memberChoice // the members of the name typed, when several (pickMember)
}

func (f *postForm) s(k string) string { return strings.TrimSpace(f.v.Get(k)) }
func (f *postForm) on(k string) bool  { return f.v.Get(k) != "" }

// date is a required date ("" leaves the zero date for the service to name).
func (f *postForm) date(k, label string) time.Time { return derefDate(f.e.date(k, label, f.s(k))) }

func (f *postForm) datep(k, label string) *time.Time { return f.e.date(k, label, f.s(k)) }

// n is a whole number, 0 when empty.
func (f *postForm) n(k, label string) int {
	if p := f.e.int(k, label, f.s(k)); p != nil {
		return *p
	}
	return 0
}

// id is a record's id: the picked one, or the one typed in other.
func (f *postForm) id(k, other, label string) int64 {
	s := f.s(k)
	if other != "" {
		if o := f.s(other); o != "" {
			s, k = o, other
		}
	}
	if s == "" {
		f.e[k] = "Cần chọn " + label
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		f.e[k] = label + ": mã số " + strconv.Quote(s) + " không hợp lệ"
		return 0
	}
	return n
}

// ok reports whether the form parsed, to call the service.
func (f *postForm) ok() bool { return len(f.e) == 0 }

// caseStep is one action of the candidate page.
type caseStep struct {
	form   string   // the form's name on the page
	fields []string // the fields the form shows (errors on others go on top)
	run    func(h *Handler, ctx context.Context, id, version int64, f *postForm) error
}

var voteFields = []string{"level", "date", "number", "members", "excluded", "present", "yes", "no"}

// caseSteps maps the path's last segment to its step.
var caseSteps = map[string]caseStep{
	"dieu-kien": {"facts", nil, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		_, err := h.svc.SetCaseFacts(ctx, id, service.CaseFactsInput{HardshipArea: f.on("hardship_area"), VillageElder: f.on("village_elder"),
			YouthUnionExists: new(f.on("youth_union_exists")), PoliticalIssue: f.on("political_issue"), Version: ver})
		return err
	}},
	"giup-do": {"helper", []string{"person_id", "other_id", "other_name"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.HelperInput{PersonID: h.pickMember(ctx, f, "person_id", "đảng viên giúp đỡ"), Version: ver}
		return call(f, func() error { _, err := h.svc.AssignHelper(ctx, id, in); return err })
	}},
	"gioi-thieu": {"introducer", []string{"person_id", "other_id", "other_name", "months_together", "letter_date", "waiver_reason"},
		func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
			in := service.IntroducerInput{PersonID: h.pickMember(ctx, f, "person_id", "người giới thiệu"), MonthsTogether: f.n("months_together", "Số tháng cùng công tác"),
				LetterDate: f.datep("letter_date", "Ngày giấy giới thiệu"), Waived: f.on("waived"), WaiverReason: f.s("waiver_reason"), Version: ver}
			return call(f, func() error { _, err := h.svc.AddIntroducer(ctx, id, in); return err })
		}},
	"chung-nhan": {"certificate", []string{"certificate_id", "number", "date"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.CertificateInput{Number: f.s("number"), Version: ver}
		if k := f.s("certificate_id"); k != "" {
			in.CertificateID, _ = strconv.ParseInt(k, 10, 64)
		} else {
			in.Date = f.date("date", "Ngày cấp")
		}
		return call(f, func() error { _, err := h.svc.RecordCertificate(ctx, id, in); return err })
	}},
	"lap-ho-so": {"dossier", []string{"date"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.DateInput{Date: f.date("date", "Ngày lập hồ sơ"), Version: ver}
		return call(f, func() error { _, err := h.svc.OpenDossier(ctx, id, in); return err })
	}},
	"van-ban": {"documents", []string{"kind", "number", "date", "note"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.DocumentInput{Kind: f.s("kind"), Number: f.s("number"), Date: f.date("date", "Ngày văn bản"), Note: f.s("note"), Version: ver}
		return call(f, func() error { _, err := h.svc.RecordDocument(ctx, id, in); return err })
	}},
	"tham-tra": {"verification", []string{"subject", "addressee", "sent_on"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.VerificationInput{Subject: f.s("subject"), Addressee: f.s("addressee"), SentOn: f.date("sent_on", "Ngày gửi"),
			Abroad: f.on("abroad"), Version: ver}
		return call(f, func() error { _, err := h.svc.RequestVerification(ctx, id, in); return err })
	}},
	"dong-y": {"consent", []string{"kind", "number", "date"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.ConsentInput{Kind: f.s("kind"), Number: f.s("number"), Date: f.date("date", "Ngày văn bản"), Version: ver}
		return call(f, func() error { _, err := h.svc.RecordConsent(ctx, id, in); return err })
	}},
	"ngoai-le": {"exception", []string{"rule", "reason"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		_, err := h.svc.RecordException(ctx, id, service.ExceptionInput{Rule: f.s("rule"), Reason: f.s("reason"), Version: ver})
		return err
	}},
	"bieu-quyet": {"", voteFields, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.VoteInput{Level: f.s("level"), Date: f.date("date", "Ngày họp"), Number: f.s("number"),
			Members: f.n("members", "Số thành viên"), Excluded: f.n("excluded", "Số không tính"), Present: f.n("present", "Số có mặt"),
			Yes: f.n("yes", "Số tán thành"), No: f.n("no", "Số không tán thành"), Version: ver}
		f.form = voteForm(f.s("purpose"), in.Level)
		return call(f, func() error { _, err := h.svc.Vote(ctx, id, f.s("purpose"), in); return err })
	}},
	"quyet-dinh": {"decision", append([]string{"received", "purpose"}, voteFields...), func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.DecisionInput{Number: f.s("number"), Date: f.date("date", "Ngày quyết định"), Received: f.datep("received", "Ngày chi bộ nhận quyết định"),
			Members: f.n("members", "Số ủy viên"), Excluded: f.n("excluded", "Số không tính"), Present: f.n("present", "Số có mặt"),
			Yes: f.n("yes", "Số tán thành"), No: f.n("no", "Số không tán thành"), Version: ver}
		return call(f, func() error { _, err := h.svc.Decide(ctx, id, f.s("purpose"), in); return err })
	}},
	"nhan-quyet-dinh": {"received", []string{"date"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.DateInput{Date: f.date("date", "Ngày nhận quyết định"), Version: ver}
		return call(f, func() error { _, err := h.svc.RecordDecisionReceived(ctx, id, in); return err })
	}},
	"le-ket-nap": {"ceremony", []string{"date", "helper_id"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.CeremonyInput{Date: f.date("date", "Ngày lễ kết nạp"), Version: ver}
		if f.s("helper_id") != "" {
			in.HelperID = f.id("helper_id", "", "đảng viên giúp đỡ")
		}
		return call(f, func() error { _, err := h.svc.HoldCeremony(ctx, id, in); return err })
	}},
	"chuyen": {"transfer", []string{"to", "date", "reason"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.TransferInput{ToOrgCode: f.s("to"), Date: f.date("date", "Ngày chuyển"), Reason: f.s("reason"), Version: ver}
		return call(f, func() error { _, err := h.svc.TransferCase(ctx, id, in); return err })
	}},
	"rut":           closeStep("withdraw", (*service.Service).WithdrawCase),
	"khong-ket-nap": closeStep("refuse", (*service.Service).RefuseCase),
	"tam-dung":      closeStep("pause", (*service.Service).PauseCase),
	"tiep-tuc": {"resume", nil, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		_, err := h.svc.ResumeCase(ctx, id, ver)
		return err
	}},
}

func closeStep(form string, do func(*service.Service, context.Context, int64, service.CloseInput) (*service.CaseView, error)) caseStep {
	return caseStep{form, []string{"date", "reason"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.CloseInput{Date: f.date("date", "Ngày"), Reason: f.s("reason"), Version: ver}
		return call(f, func() error { _, err := do(h.svc, ctx, id, in); return err })
	}}
}

// call runs the service call when the form parsed.
func call(f *postForm, do func() error) error {
	if !f.ok() {
		return nil
	}
	return do()
}

// voteForm names the vote form on the page by purpose and level.
func voteForm(purpose, level string) string {
	switch {
	case level != domain.LevelChapter:
		return "upper-vote"
	case purpose == domain.PurposeRecognition:
		return "recognition-vote"
	case purpose == domain.PurposeStrikeOff:
		return "strike-off-vote"
	}
	return "admission-vote"
}

// caseAction runs an action of the candidate page (POST /ho-so/{id}/{action}).
func (h *Handler) caseAction(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	slug := r.PathValue("action")
	step, ok := caseSteps[slug]
	if !ok {
		return domain.Errorf(domain.ENotFound, "Không có thao tác %q của hồ sơ kết nạp", slug)
	}
	return h.caseRun(w, r, u, slug, step.form, step.fields, func(ctx context.Context, id, ver int64, f *postForm) error {
		return step.run(h, ctx, id, ver, f)
	})
}

// caseRun parses the form, runs the step and answers: a redirect when it
// is done, the page with the refused form otherwise.
func (h *Handler) caseRun(w http.ResponseWriter, r *http.Request, u *domain.User, notice, form string, fields []string,
	run func(ctx context.Context, id, version int64, f *postForm) error) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if r.MultipartForm == nil {
		if err := r.ParseForm(); err != nil {
			return domain.Errorf(domain.EBadRequest, "Biểu mẫu không hợp lệ")
		}
	}
	f := &postForm{v: r.PostForm, e: errs{}, form: form}
	version, _ := strconv.ParseInt(f.s("version"), 10, 64) // missing or not a number: the service asks to reload
	err = run(r.Context(), id, version, f)
	if err == nil && f.ok() {
		http.Redirect(w, r, doneURL(id, notice, f.s("next")), http.StatusSeeOther)
		return nil
	}
	if err != nil && !isUserError(err) {
		return err
	}
	v, lerr := h.caseView(r, u, id)
	if lerr != nil {
		return lerr
	}
	v.Form = caseForm{Action: f.form, Values: f.v, Errors: f.e, Choices: f.choices}
	status := http.StatusUnprocessableEntity
	if err != nil {
		status = statusOf(err)
		v.Form.Errors.add(err, fields...)
		if re, ok := errors.AsType[*service.RefusedError](err); ok {
			v.Form.Checks = re.Checks
		}
	}
	return h.renderCase(w, r, status, v)
}

// doneURL is where the browser goes after an action: the list it came
// from (next, a local path) or the case, with the confirmation's code.
func doneURL(id int64, notice, next string) string {
	target := caseURL(id)
	if next != "" {
		target = localPath(next)
	}
	u, err := url.Parse(target)
	if err != nil {
		return caseURL(id)
	}
	q := u.Query()
	q.Set("da", notice)
	u.RawQuery = q.Encode()
	return u.String()
}

// caseRemoveIntroducer removes an introducer (POST /ho-so/{id}/gioi-thieu/{iid}/xoa).
func (h *Handler) caseRemoveIntroducer(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	iid, err := strconv.ParseInt(r.PathValue("iid"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy người giới thiệu %q", r.PathValue("iid"))
	}
	return h.caseRun(w, r, u, "bo-gioi-thieu", "introducer", nil, func(ctx context.Context, id, ver int64, f *postForm) error {
		_, err := h.svc.RemoveIntroducer(ctx, id, iid, ver)
		return err
	})
}

// caseReply records the reply to a verification request (POST /ho-so/{id}/tham-tra/{vid}/tra-loi).
func (h *Handler) caseReply(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy yêu cầu thẩm tra %q", r.PathValue("vid"))
	}
	form := "reply-" + strconv.FormatInt(vid, 10)
	return h.caseRun(w, r, u, "tra-loi", form, []string{"date", "result"}, func(ctx context.Context, id, ver int64, f *postForm) error {
		in := service.ReplyInput{Date: f.date("date", "Ngày trả lời"), Result: f.s("result"), Version: ver}
		return call(f, func() error { _, err := h.svc.RecordVerificationReply(ctx, id, vid, in); return err })
	})
}
