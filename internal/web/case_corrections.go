package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// The forms of issue 11 on the candidate page: the deciding body's
// conclusion on an admission vote below its threshold (HD06 §5.1), the
// receipts the clocks start from (a verification request's, a
// transferred dossier's), and the correction of a recorded fact in place
// (?dinh-chinh=KEY selects the fact; its form comes pre-filled).

func init() {
	caseSteps["ket-luan"] = caseStep{"conclusion", []string{"number", "date", "conclusion"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.ConclusionInput{Number: f.s("number"), Date: f.date("date", "Ngày kết luận"), Conclusion: f.s("conclusion"), Version: ver}
		return call(f, func() error { _, err := h.svc.Conclude(ctx, id, in); return err })
	}}
	caseSteps["nhan-yeu-cau"] = caseStep{"", []string{"date"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		vid, _ := strconv.ParseInt(f.s("vid"), 10, 64)
		f.form = "received-" + strconv.FormatInt(vid, 10)
		in := service.DateInput{Date: f.date("date", "Ngày nhận yêu cầu"), Version: ver}
		return call(f, func() error { _, err := h.svc.RecordVerificationReceipt(ctx, id, vid, in); return err })
	}}
	caseSteps["nhan-ho-so"] = caseStep{"transfer-received", []string{"date"}, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.DateInput{Date: f.date("date", "Ngày nơi đến nhận hồ sơ"), Version: ver}
		return call(f, func() error { _, err := h.svc.RecordTransferReceipt(ctx, id, in); return err })
	}}
	caseSteps["dinh-chinh"] = caseStep{"correction", correctionFields, func(h *Handler, ctx context.Context, id, ver int64, f *postForm) error {
		in := service.CorrectionInput{Target: f.s("target"), Kind: f.s("kind"), Reason: f.s("reason"), Version: ver,
			Date: f.datep("date", "Ngày"), Received: f.datep("received", "Ngày nhận"), Replied: f.datep("replied", "Ngày trả lời")}
		in.ID, _ = strconv.ParseInt(f.s("id"), 10, 64)
		if f.v.Has("number") {
			n := f.s("number")
			in.Number = &n
		}
		for _, x := range []struct {
			field, label string
			to           **int
		}{{"members", "Số thành viên", &in.Members}, {"excluded", "Số không tính", &in.Excluded}, {"present", "Số có mặt", &in.Present},
			{"yes", "Số tán thành", &in.Yes}, {"no", "Số không tán thành", &in.No}} {
			*x.to = f.e.int(x.field, x.label, f.s(x.field))
		}
		return call(f, func() error { _, err := h.svc.CorrectCase(ctx, id, in); return err })
	}}
	funcs["list"] = func(s ...string) []string { return s }
	funcs["datetime"] = vn.DateTime
	funcs["changeText"] = service.ChangeText
	caseNotices["ket-luan"] = "Đã ghi kết luận của cấp có thẩm quyền; hồ sơ kết thúc."
	caseNotices["nhan-yeu-cau"] = "Đã ghi ngày nhận yêu cầu thẩm tra; hạn trả lời tính từ ngày này."
	caseNotices["nhan-ho-so"] = "Đã ghi ngày nơi đến nhận hồ sơ."
	caseNotices["dinh-chinh"] = "Đã đính chính; hồ sơ được đối chiếu lại và các thời hạn tính lại."
}

// correctionFields are the fields of the correction form.
var correctionFields = []string{"date", "number", "received", "replied", "members", "excluded", "present", "yes", "no", "reason"}

// fixForm is the fact selected for correction and the fields its form
// shows.
type fixForm struct {
	Key    string // the ?dinh-chinh= value
	Target string
	ID     int64
	Kind   string
	What   string
	Fields map[string]string // field → label
	Figure bool              // a vote's figures
}

// Has reports whether the form shows the field.
func (f *fixForm) Has(field string) bool { _, ok := f.Fields[field]; return ok }

// Label is the field's label.
func (f *fixForm) Label(field string) string { return f.Fields[field] }

// fixKey names a fact for ?dinh-chinh=.
func fixKey(target string, id int64, kind string) string {
	switch {
	case kind != "":
		return target + ":" + kind
	case id != 0:
		return target + ":" + strconv.FormatInt(id, 10)
	}
	return target
}

// corrections lists the facts of the open case the user may correct
// (FixOptions), and when key names one of them, its pre-filled form.
func (v *caseShowView) corrections(u *domain.User, key string) {
	c := v.C
	ch, bd := mayChapter(u), mayBoard(u)
	if c.Closed() || !ch {
		return
	}
	d := v.defaults
	add := func(target string, id int64, kind, what string, board bool, fields map[string]string, values map[string]string) {
		if board && !bd {
			return
		}
		k := fixKey(target, id, kind)
		v.FixOptions = append(v.FixOptions, struct{ Code, Name string }{k, what})
		if k != key {
			return
		}
		v.Fix = &fixForm{Key: k, Target: target, ID: id, Kind: kind, What: what, Fields: fields, Figure: target == domain.CorrectVote}
		for f, val := range values {
			d.Set("correction."+f, val)
		}
	}
	iso := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(domain.DateLayout)
	}
	add(domain.CorrectOpened, 0, "", "Ngày đưa vào danh sách ("+vn.Date(c.OpenedOn)+")", false,
		map[string]string{"date": "Ngày đưa vào danh sách"}, map[string]string{"date": iso(&c.OpenedOn)})
	if c.DossierOpened != nil {
		add(domain.CorrectDossier, 0, "", "Ngày lập hồ sơ ("+vn.Date(*c.DossierOpened)+")", false,
			map[string]string{"date": "Ngày lập hồ sơ"}, map[string]string{"date": iso(c.DossierOpened)})
	}
	for _, x := range c.Documents {
		if x.Kind == domain.DocVoteConclusion {
			continue
		}
		add(domain.CorrectDocument, 0, x.Kind, domain.DocumentNames[x.Kind]+" ("+vn.Date(x.Date)+")", false,
			map[string]string{"number": "Số văn bản", "date": "Ngày văn bản"}, map[string]string{"number": x.Number, "date": iso(&x.Date)})
	}
	for _, x := range c.Verifications {
		fields := map[string]string{"date": "Ngày gửi", "received": "Ngày nhận yêu cầu"}
		if x.RepliedOn != nil {
			fields["replied"] = "Ngày trả lời"
		}
		add(domain.CorrectVerification, x.ID, "", "Thẩm tra lý lịch ("+lowerFirst(subjectLabel(x.Subject))+") gửi "+x.Addressee+" ngày "+vn.Date(x.SentOn), false,
			fields, map[string]string{"date": iso(&x.SentOn), "received": iso(x.ReceivedOn), "replied": iso(x.RepliedOn)})
	}
	for _, x := range c.Votes {
		add(domain.CorrectVote, x.ID, "", service.VoteLabel(x), x.Level != domain.LevelChapter,
			map[string]string{"date": "Ngày", "number": "Số", "members": "Số thành viên", "excluded": "Không tính vào tổng số", "present": "Có mặt",
				"yes": "Tán thành", "no": "Không tán thành"},
			map[string]string{"date": iso(&x.Date), "number": x.Number, "members": strconv.Itoa(x.Members), "excluded": strconv.Itoa(x.Excluded),
				"present": strconv.Itoa(x.Present), "yes": strconv.Itoa(x.Yes), "no": strconv.Itoa(x.No)})
	}
	if c.DecisionDate != nil {
		what := "Ngày chi bộ nhận quyết định kết nạp (chưa ghi)"
		if c.DecisionReceived != nil {
			what = "Ngày chi bộ nhận quyết định kết nạp (" + vn.Date(*c.DecisionReceived) + ")"
		}
		add(domain.CorrectReceived, 0, "", what, false, map[string]string{"date": "Ngày chi bộ nhận quyết định"},
			map[string]string{"date": iso(c.DecisionReceived)})
	}
	if c.CeremonyDate != nil {
		add(domain.CorrectCeremony, 0, "", "Ngày lễ kết nạp ("+vn.Date(*c.CeremonyDate)+")", false, map[string]string{"date": "Ngày lễ kết nạp"},
			map[string]string{"date": iso(c.CeremonyDate)})
	}
	for _, x := range c.Transfers {
		to := ""
		if o := v.Orgs[x.ToOrgID]; o != nil {
			to = " đến " + o.Name
		}
		add(domain.CorrectTransfer, x.ID, "", "Chuyển sinh hoạt"+to+" ngày "+vn.Date(x.Date), true,
			map[string]string{"date": "Ngày chuyển", "received": "Ngày nơi đến nhận hồ sơ"}, map[string]string{"date": iso(&x.Date), "received": iso(x.ReceivedOn)})
	}
}

// FixLink is the link that opens the correction form of a fact, "" when
// the user may not correct it.
func (v *caseShowView) FixLink(key string) string {
	for _, o := range v.FixOptions {
		if o.Code == key {
			return caseURL(v.C.ID) + "?" + url.Values{"dinh-chinh": {key}}.Encode() + "#f-correction"
		}
	}
	return ""
}

// FixAction is where the selected fact's correction posts (the key kept,
// so that a refused correction comes back to its form).
func (v *caseShowView) FixAction() string {
	if v.Fix == nil {
		return ""
	}
	return caseURL(v.C.ID) + "/dinh-chinh?" + url.Values{"dinh-chinh": {v.Fix.Key}}.Encode()
}

// lowerFirst lower-cases the first letter only.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToLower(string(r)) + s[n:]
}

// subjectLabel names the person a verification is about.
func subjectLabel(code string) string {
	if n, ok := domain.VerificationSubjects[code]; ok {
		return n
	}
	return code
}

// PendingReceipt reports whether a verification request awaits its reply
// without a recorded receipt (its form is offered).
func (v *caseShowView) PendingReceipt(x *domain.CaseVerification) bool {
	return v.Chapter && x.RepliedOn == nil && x.ReceivedOn == nil
}

// LastTransfer is the case's latest transfer, nil when none.
func (v *caseShowView) LastTransfer() *domain.CaseTransfer {
	if n := len(v.C.Transfers); n > 0 {
		return v.C.Transfers[n-1]
	}
	return nil
}
