package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// The steps of a case: POST /api/v1/cases/{id}/{action} with a JSON body
// that carries the version of the case the caller saw, one service call
// each; the answer is the case as the step left it (200), 409 when
// someone changed it meanwhile, 422 with "checks" when the rules refuse
// the step.

type caseOpenIn struct {
	PersonID         int64 `json:"person_id"`
	OpenedOn         date  `json:"opened_on"`
	HelperID         int64 `json:"helper_id"`
	HardshipArea     bool  `json:"hardship_area"`
	VillageElder     bool  `json:"village_elder"`
	YouthUnionExists *bool `json:"youth_union_exists"` // absent: the unit's
	PoliticalIssue   bool  `json:"political_issue"`
	Readmission      *struct {
		LeftOn        date   `json:"left_on"`
		Ground        string `json:"ground"`
		RecordCleared *date  `json:"record_cleared"`
	} `json:"readmission"`
}

func (a *API) openCase(w http.ResponseWriter, r *http.Request) error {
	var in caseOpenIn
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sin := service.OpenCaseInput{PersonID: in.PersonID, OpenedOn: in.OpenedOn.Time, HelperID: in.HelperID, HardshipArea: in.HardshipArea,
		VillageElder: in.VillageElder, YouthUnionExists: in.YouthUnionExists, PoliticalIssue: in.PoliticalIssue}
	if x := in.Readmission; x != nil {
		sin.Readmission = &service.ReadmissionInput{LeftOn: x.LeftOn.Time, Ground: x.Ground, RecordCleared: x.RecordCleared.ptr()}
	}
	v, err := a.svc.OpenCase(r.Context(), sin)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, a.caseJSON(r, v))
	return nil
}

// The bodies of the steps.
type (
	caseVersionIn struct {
		Version int64 `json:"version"`
	}
	caseFactsIn struct {
		HardshipArea     bool  `json:"hardship_area"`
		VillageElder     bool  `json:"village_elder"`
		YouthUnionExists *bool `json:"youth_union_exists"` // absent: the case's stays
		PoliticalIssue   bool  `json:"political_issue"`
		Version          int64 `json:"version"`
	}
	caseHelperIn struct {
		PersonID int64 `json:"person_id"`
		Version  int64 `json:"version"`
	}
	caseIntroducerIn struct {
		PersonID       int64  `json:"person_id"`
		MonthsTogether int    `json:"months_together"`
		LetterDate     *date  `json:"letter_date"`
		Waived         bool   `json:"waived"`
		WaiverReason   string `json:"waiver_reason"`
		Version        int64  `json:"version"`
	}
	caseDatedIn struct {
		Kind    string `json:"kind"`
		Number  string `json:"number"`
		Date    date   `json:"date"`
		Note    string `json:"note"`
		Version int64  `json:"version"`
	}
	caseVerificationIn struct {
		Subject    string `json:"subject"`
		Addressee  string `json:"addressee"`
		SentOn     date   `json:"sent_on"`
		ReceivedOn *date  `json:"received_on"`
		Abroad     bool   `json:"abroad"`
		Version    int64  `json:"version"`
	}
	caseExceptionIn struct {
		Rule    string `json:"rule"`
		Reason  string `json:"reason"`
		Version int64  `json:"version"`
	}
	caseVoteIn struct {
		Level    string `json:"level"`
		Number   string `json:"number"`
		Date     date   `json:"date"`
		Members  int    `json:"members"`
		Excluded int    `json:"excluded"`
		Present  int    `json:"present"`
		Yes      int    `json:"yes"`
		No       int    `json:"no"`
		Version  int64  `json:"version"`
	}
	caseDecisionIn struct {
		Number   string `json:"number"`
		Date     date   `json:"date"`
		Received *date  `json:"received"`
		Members  int    `json:"members"`
		Excluded int    `json:"excluded"`
		Present  int    `json:"present"`
		Yes      int    `json:"yes"`
		No       int    `json:"no"`
		Version  int64  `json:"version"`
	}
	caseCertificateIn struct {
		CertificateID int64  `json:"certificate_id"`
		Number        string `json:"number"`
		Date          date   `json:"date"`
		Version       int64  `json:"version"`
	}
	caseCeremonyIn struct {
		Date     date  `json:"date"`
		HelperID int64 `json:"helper_id"`
		Version  int64 `json:"version"`
	}
	caseTransferIn struct {
		To       string `json:"to"`
		Date     date   `json:"date"`
		Received *date  `json:"received"`
		Reason   string `json:"reason"`
		Version  int64  `json:"version"`
	}
	caseCloseIn struct {
		Date    date   `json:"date"`
		Reason  string `json:"reason"`
		Version int64  `json:"version"`
	}
)

func (v caseVoteIn) vote() service.VoteInput {
	return service.VoteInput{Level: v.Level, Date: v.Date.Time, Number: v.Number, Members: v.Members, Excluded: v.Excluded,
		Present: v.Present, Yes: v.Yes, No: v.No, Version: v.Version}
}

func (v caseDecisionIn) decision() service.DecisionInput {
	return service.DecisionInput{Number: v.Number, Date: v.Date.Time, Received: v.Received.ptr(), Members: v.Members,
		Excluded: v.Excluded, Present: v.Present, Yes: v.Yes, No: v.No, Version: v.Version}
}

// caseStepFunc runs one step from the request and returns the case after it.
type caseStepFunc func(a *API, w http.ResponseWriter, r *http.Request, id int64) (*service.CaseView, error)

// step decodes the body into T and runs the step with it.
func step[T any](do func(a *API, ctx context.Context, id int64, in *T) (*service.CaseView, error)) caseStepFunc {
	return func(a *API, w http.ResponseWriter, r *http.Request, id int64) (*service.CaseView, error) {
		var in T
		if err := decode(w, r, &in); err != nil {
			return nil, err
		}
		return do(a, r.Context(), id, &in)
	}
}

// caseSteps maps each action of POST /api/v1/cases/{id}/{action} to its
// step. The action names the purpose of a vote or a decision.
var caseSteps = map[string]caseStepFunc{
	"facts": step(func(a *API, ctx context.Context, id int64, in *caseFactsIn) (*service.CaseView, error) {
		return a.svc.SetCaseFacts(ctx, id, service.CaseFactsInput{HardshipArea: in.HardshipArea, VillageElder: in.VillageElder,
			YouthUnionExists: in.YouthUnionExists, PoliticalIssue: in.PoliticalIssue, Version: in.Version})
	}),
	"helper": step(func(a *API, ctx context.Context, id int64, in *caseHelperIn) (*service.CaseView, error) {
		return a.svc.AssignHelper(ctx, id, service.HelperInput{PersonID: in.PersonID, Version: in.Version})
	}),
	"introducers": step(func(a *API, ctx context.Context, id int64, in *caseIntroducerIn) (*service.CaseView, error) {
		return a.svc.AddIntroducer(ctx, id, service.IntroducerInput{PersonID: in.PersonID, MonthsTogether: in.MonthsTogether,
			LetterDate: in.LetterDate.ptr(), Waived: in.Waived, WaiverReason: in.WaiverReason, Version: in.Version})
	}),
	"certificate": step(func(a *API, ctx context.Context, id int64, in *caseCertificateIn) (*service.CaseView, error) {
		return a.svc.RecordCertificate(ctx, id, service.CertificateInput{CertificateID: in.CertificateID, Number: in.Number,
			Date: in.Date.Time, Version: in.Version})
	}),
	"dossier": step(func(a *API, ctx context.Context, id int64, in *caseDatedIn) (*service.CaseView, error) {
		return a.svc.OpenDossier(ctx, id, service.DateInput{Date: in.Date.Time, Version: in.Version})
	}),
	"documents": step(func(a *API, ctx context.Context, id int64, in *caseDatedIn) (*service.CaseView, error) {
		return a.svc.RecordDocument(ctx, id, service.DocumentInput{Kind: in.Kind, Number: in.Number, Date: in.Date.Time, Note: in.Note, Version: in.Version})
	}),
	"consents": step(func(a *API, ctx context.Context, id int64, in *caseDatedIn) (*service.CaseView, error) {
		return a.svc.RecordConsent(ctx, id, service.ConsentInput{Kind: in.Kind, Number: in.Number, Date: in.Date.Time, Version: in.Version})
	}),
	"decision-received": step(func(a *API, ctx context.Context, id int64, in *caseDatedIn) (*service.CaseView, error) {
		return a.svc.RecordDecisionReceived(ctx, id, service.DateInput{Date: in.Date.Time, Version: in.Version})
	}),
	"verifications": step(func(a *API, ctx context.Context, id int64, in *caseVerificationIn) (*service.CaseView, error) {
		return a.svc.RequestVerification(ctx, id, service.VerificationInput{Subject: in.Subject, Addressee: in.Addressee,
			SentOn: in.SentOn.Time, ReceivedOn: in.ReceivedOn.ptr(), Abroad: in.Abroad, Version: in.Version})
	}),
	"exceptions": step(func(a *API, ctx context.Context, id int64, in *caseExceptionIn) (*service.CaseView, error) {
		return a.svc.RecordException(ctx, id, service.ExceptionInput{Rule: in.Rule, Reason: in.Reason, Version: in.Version})
	}),
	"admission-vote":   voteStep(domain.PurposeAdmission),
	"recognition-vote": voteStep(domain.PurposeRecognition),
	"strike-off-vote":  voteStep(domain.PurposeStrikeOff),
	"decision":         decideStep(domain.PurposeAdmission),
	"recognition":      decideStep(domain.PurposeRecognition),
	"strike-off":       decideStep(domain.PurposeStrikeOff),
	"ceremony": step(func(a *API, ctx context.Context, id int64, in *caseCeremonyIn) (*service.CaseView, error) {
		return a.svc.HoldCeremony(ctx, id, service.CeremonyInput{Date: in.Date.Time, HelperID: in.HelperID, Version: in.Version})
	}),
	"transfer": step(func(a *API, ctx context.Context, id int64, in *caseTransferIn) (*service.CaseView, error) {
		return a.svc.TransferCase(ctx, id, service.TransferInput{ToOrgCode: in.To, Date: in.Date.Time, Received: in.Received.ptr(),
			Reason: in.Reason, Version: in.Version})
	}),
	"withdraw": closeStep((*service.Service).WithdrawCase),
	"refuse":   closeStep((*service.Service).RefuseCase),
	"pause":    closeStep((*service.Service).PauseCase),
	"resume": step(func(a *API, ctx context.Context, id int64, in *caseVersionIn) (*service.CaseView, error) {
		return a.svc.ResumeCase(ctx, id, in.Version)
	}),
}

// voteStep is a vote of the ladder on the purpose.
func voteStep(purpose string) caseStepFunc {
	return step(func(a *API, ctx context.Context, id int64, in *caseVoteIn) (*service.CaseView, error) {
		return a.svc.Vote(ctx, id, purpose, in.vote())
	})
}

// decideStep is a decision on the purpose.
func decideStep(purpose string) caseStepFunc {
	return step(func(a *API, ctx context.Context, id int64, in *caseDecisionIn) (*service.CaseView, error) {
		return a.svc.Decide(ctx, id, purpose, in.decision())
	})
}

// closeStep ends or pauses the case.
func closeStep(do func(*service.Service, context.Context, int64, service.CloseInput) (*service.CaseView, error)) caseStepFunc {
	return step(func(a *API, ctx context.Context, id int64, in *caseCloseIn) (*service.CaseView, error) {
		return do(a.svc, ctx, id, service.CloseInput{Date: in.Date.Time, Reason: in.Reason, Version: in.Version})
	})
}

// caseAction is POST /api/v1/cases/{id}/{action}: one step, answered
// with the case as the step left it.
func (a *API) caseAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	do, ok := caseSteps[r.PathValue("action")]
	if !ok {
		return domain.Errorf(domain.ENotFound, "Không có bước %q của hồ sơ kết nạp", r.PathValue("action"))
	}
	v, err := do(a, w, r, id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.caseJSON(r, v))
	return nil
}

func (a *API) removeIntroducer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	iid, err := casePathInt(r, "iid")
	if err != nil {
		return err
	}
	version, err := queryInt(r, "version", 0)
	if err != nil {
		return err
	}
	v, err := a.svc.RemoveIntroducer(r.Context(), id, iid, int64(version))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.caseJSON(r, v))
	return nil
}

func (a *API) replyVerification(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	vid, err := casePathInt(r, "vid")
	if err != nil {
		return err
	}
	type replyIn struct {
		Date    date   `json:"date"`
		Result  string `json:"result"`
		Version int64  `json:"version"`
	}
	v, err := step(func(a *API, ctx context.Context, id int64, in *replyIn) (*service.CaseView, error) {
		return a.svc.RecordVerificationReply(ctx, id, vid, service.ReplyInput{Date: in.Date.Time, Result: in.Result, Version: in.Version})
	})(a, w, r, id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.caseJSON(r, v))
	return nil
}

// uploadFile is POST /api/v1/cases/{id}/files, multipart/form-data with
// the fields file, kind and version; 201 with the stored file's metadata.
func (a *API) uploadFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, service.MaxFileSize+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return domain.Errorf(domain.ETooLarge, "Tệp quá lớn; tối đa 10 MB")
		}
		return domain.Errorf(domain.EBadRequest, "Cần gửi tệp dạng multipart/form-data (trường file, kind, version)")
	}
	defer r.MultipartForm.RemoveAll()
	version, _ := strconv.ParseInt(r.FormValue("version"), 10, 64) // missing or not a number: the service asks for it
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return domain.FieldError("file", "Cần tệp trong trường file")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, service.MaxFileSize+1))
	if err != nil {
		return err
	}
	cf, err := a.svc.AttachFile(r.Context(), id, service.FileInput{Kind: r.FormValue("kind"), Name: hdr.Filename, Data: data, Version: version})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, caseFileJSON{cf.ID, cf.Kind, cf.Name, cf.ContentType, cf.Size, cf.SHA256, cf.UploadedAt, cf.UploadedBy})
	return nil
}

// downloadFile is GET /api/v1/cases/{id}/files/{fid}: the scan itself,
// served as an attachment with its sniffed type.
func (a *API) downloadFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	fid, err := casePathInt(r, "fid")
	if err != nil {
		return err
	}
	f, err := a.svc.CaseFile(r.Context(), id, fid)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+f.SHA256+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(f.Data)
	return nil
}

// chapterMeeting is POST /api/v1/chapter-meetings: a chapter's meeting
// voting on several candidates, each separately; 200 with one result per
// candidate, {"case_id", "ok", "stage", "version"} or {"case_id", "ok":
// false, "error": {code, message, field, checks}}.
func (a *API) chapterMeeting(w http.ResponseWriter, r *http.Request) error {
	type voteJSON struct {
		CaseID  int64  `json:"case_id"`
		Version int64  `json:"version"`
		Number  string `json:"number"`
		Yes     int    `json:"yes"`
		No      int    `json:"no"`
	}
	var in struct {
		Purpose  string     `json:"purpose"`
		Date     date       `json:"date"`
		Number   string     `json:"number"`
		Members  int        `json:"members"`
		Excluded int        `json:"excluded"`
		Present  int        `json:"present"`
		Votes    []voteJSON `json:"votes"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m := service.MeetingInput{Purpose: in.Purpose, Date: in.Date.Time, Number: in.Number, Members: in.Members, Excluded: in.Excluded,
		Present: in.Present}
	for _, v := range in.Votes {
		m.Votes = append(m.Votes, service.MeetingVote{CaseID: v.CaseID, Version: v.Version, Number: v.Number, Yes: v.Yes, No: v.No})
	}
	res, err := a.svc.ChapterMeeting(r.Context(), m)
	if err != nil {
		return err
	}
	out := []map[string]any{}
	for _, x := range res {
		if x.Err == nil {
			out = append(out, map[string]any{"case_id": x.CaseID, "ok": true, "stage": x.Case.Stage, "version": x.Case.Version})
			continue
		}
		httpx.LogError(r, x.Err)
		e := map[string]any{"code": domain.ErrorCode(x.Err), "message": domain.ErrorMessage(x.Err)}
		if de, ok := errors.AsType[*domain.Error](x.Err); ok && de.Field != "" {
			e["field"] = de.Field
		}
		if re, ok := errors.AsType[*service.RefusedError](x.Err); ok {
			e["checks"] = re.Checks
		}
		out = append(out, map[string]any{"case_id": x.CaseID, "ok": false, "error": e})
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"results": out})
	return nil
}
