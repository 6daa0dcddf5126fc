package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// committeeTree adds a commune's grassroots committee (kp-xa) with a
// village chapter (kp-xa-1): its chapter's cases go through the
// committee's vote before the district decides. No Youth Union
// organisation is recorded there (as in tree).
func (e *env) committeeTree() {
	for _, o := range []struct {
		code, name, parent string
		kind               domain.OrgKind
	}{{"kp-xa", "Đảng bộ xã Ea Kly", "kp", domain.KindGrassroots}, {"kp-xa-1", "Chi bộ thôn 1", "kp-xa", domain.KindChapter}} {
		e.must(e.svc.CreateOrg(e.sys, service.OrgInput{Code: o.code, Name: o.name, Kind: o.kind, Sector: "commune",
			ParentCode: o.parent, ValidFrom: domain.Day(2000, 1, 1), YouthUnion: new(false)}))
	}
}

// drive takes a new case of the person through the procedure from start
// until it reaches the stage, every step on its own date: dossier by
// start+31, chapter vote +40 (committee +45), decision +60 received +62,
// ceremony +70, recognition after the 12 months, striking off +100/+110.
func (e *env) drive(person int64, org string, start time.Time, stage string) *service.CaseView {
	e.t.Helper()
	at := func(days int) time.Time {
		d := start.AddDate(0, 0, days)
		e.clock(d)
		return d
	}
	c := e.openCase(person, org, start)
	switch stage {
	case domain.CaseSource:
		return c
	case domain.CaseWithdrawn:
		return e.ok(e.svc.WithdrawCase(e.sys, c.ID, service.CloseInput{Date: at(5), Reason: "Xin rút vì đi học xa", Version: c.Version}))
	}
	c = e.dossier(c, org, start)
	if stage == domain.CaseDossier {
		return c
	}
	yes := 9
	if stage == domain.CaseRefused || stage == domain.CaseVoteFailed {
		yes = 7 // 7 of 11 < 2/3: the deciding body concludes (HD06 §5.1)
	}
	c = e.ok(e.svc.Vote(e.sys, c.ID, domain.PurposeAdmission, vote(domain.LevelChapter, at(40), yes, c.Version)))
	if stage == domain.CaseRefused {
		return e.ok(e.svc.Conclude(e.sys, c.ID, service.ConclusionInput{Number: "TB-" + strconv.FormatInt(c.ID, 10), Date: at(50),
			Conclusion: "Không kết nạp; chi bộ tiếp tục bồi dưỡng", Version: c.Version}))
	}
	if stage == domain.CaseVoteFailed || stage == domain.CaseChapterVoted {
		return c
	}
	if org == "kp-xa-1" {
		c = e.ok(e.svc.Vote(e.sys, c.ID, domain.PurposeAdmission, service.VoteInput{Level: domain.LevelCommittee, Date: at(45), Number: "NQ-ĐU",
			Members: 9, Present: 9, Yes: 7, No: 2, Version: c.Version}))
		if stage == domain.CaseCommitteeVoted {
			return c
		}
	}
	received := at(62)
	c = e.ok(e.svc.Decide(e.sys, c.ID, domain.PurposeAdmission, decision("QĐ-"+strconv.FormatInt(c.ID, 10), start.AddDate(0, 0, 60), &received, 5, c.Version)))
	if stage == domain.CaseDecided {
		return c
	}
	ceremony := at(70)
	c = e.ok(e.svc.HoldCeremony(e.sys, c.ID, service.CeremonyInput{Date: ceremony, Version: c.Version}))
	switch stage {
	case domain.CaseProbation:
		return c
	case domain.CaseStrikeOffVote, domain.CaseStruckOff:
		c = e.ok(e.svc.Vote(e.sys, c.ID, domain.PurposeStrikeOff, vote(domain.LevelChapter, at(100), 10, c.Version)))
		if stage == domain.CaseStruckOff {
			c = e.ok(e.svc.Decide(e.sys, c.ID, domain.PurposeStrikeOff, decision("QĐ-XT", at(110), nil, 5, c.Version)))
		}
		return c
	}
	end := ceremony.AddDate(1, 0, 0)
	e.clock(end)
	for _, k := range []string{domain.DocNewMemberCertificate, rules.FormSelfReview, rules.FormHelperAssessment, rules.FormProbationOpinions} {
		c = e.ok(e.svc.RecordDocument(e.sys, c.ID, service.DocumentInput{Kind: k, Date: end, Version: c.Version}))
	}
	rv := end.AddDate(0, 0, 3)
	e.clock(rv)
	c = e.ok(e.svc.Vote(e.sys, c.ID, domain.PurposeRecognition, vote(domain.LevelChapter, rv, 10, c.Version)))
	if stage == domain.CaseRecognitionVote {
		return c
	}
	e.clock(rv.AddDate(0, 0, 10))
	return e.ok(e.svc.Decide(e.sys, c.ID, domain.PurposeRecognition, decision("QĐ-CN", rv.AddDate(0, 0, 10), nil, 5, c.Version)))
}

func caseLink(c *service.CaseView) string { return "/ho-so/" + strconv.FormatInt(c.ID, 10) }

// TestCasePageStages drives a case to each stage and reads its page: the
// stage, the current step of the path, and the forms the stage offers.
func TestCasePageStages(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.committeeTree()
	start := domain.Day(2022, 6, 1)
	want := map[string][]string{
		domain.CaseSource:          {`action="/ho-so/%d/chung-nhan"`, `action="/ho-so/%d/lap-ho-so"`, `action="/ho-so/%d/rut"`},
		domain.CaseDossier:         {`action="/ho-so/%d/bieu-quyet"`, `name="purpose" value="admission"`, `action="/ho-so/%d/van-ban"`, "Lý lịch khai đúng"},
		domain.CaseChapterVoted:    {`action="/ho-so/%d/quyet-dinh"`, "Quá hạn", "Quyết định kết nạp"},
		domain.CaseCommitteeVoted:  {`action="/ho-so/%d/quyet-dinh"`, "Đảng ủy cơ sở", "Ghi quyết định kết nạp"},
		domain.CaseVoteFailed:      {`action="/ho-so/%d/ket-luan"`, "Kết luận về biểu quyết không đạt", "Chi bộ biểu quyết 7/11 tán thành, không đạt", "HD06 §5.1"},
		domain.CaseDecided:         {`action="/ho-so/%d/le-ket-nap"`, `action="/ho-so/%d/nhan-quyet-dinh"`, "Lễ kết nạp"},
		domain.CaseProbation:       {`name="purpose" value="recognition"`, `name="purpose" value="strike_off"`, "Hết 12 tháng dự bị"},
		domain.CaseRecognitionVote: {`action="/ho-so/%d/quyet-dinh"`, "Ghi quyết định công nhận đảng viên chính thức"},
		domain.CaseStrikeOffVote:   {`action="/ho-so/%d/quyet-dinh"`, "Ghi quyết định xóa tên đảng viên dự bị"},
		domain.CaseOfficial:        {"Hồ sơ đã kết thúc", "Công nhận đảng viên chính thức từ ngày"},
		domain.CaseStruckOff:       {"Hồ sơ đã kết thúc", "Xóa tên đảng viên dự bị theo quyết định số QĐ-XT"},
		domain.CaseRefused:         {"Hồ sơ đã kết thúc", "Điều lệ Đ.4", "thông báo số TB-", "Thông báo kết luận của cấp có thẩm quyền"},
		domain.CaseWithdrawn:       {"Hồ sơ đã kết thúc", "Xin rút vì đi học xa"},
	}
	e.user("tochuc", domain.RoleOrganizer, "kp")
	c := e.client()
	c.login("tochuc")
	for i, st := range domain.CaseStages {
		org := "kp-a"
		if st.Code == domain.CaseCommitteeVoted {
			org = "kp-xa-1"
		}
		p := e.person(fmt.Sprintf("Ứng Viên %02d", i), org, domain.StageSource, domain.Day(1998, 1, 1))
		cs := e.drive(p, org, start, st.Code)
		if cs.Stage != st.Code {
			t.Fatalf("drove to %s, got %s", st.Code, cs.Stage)
		}
		e.clock(today)
		pg := c.get(caseLink(cs))
		wantStatus(t, pg, http.StatusOK)
		wantIn(t, pg, `<span class="badge cs-`+st.Code+`" id="stage">`+st.Name+`</span>`, `aria-current="step">`+st.Name)
		for _, s := range want[st.Code] {
			if strings.Contains(s, "%d") {
				s = fmt.Sprintf(s, cs.ID)
			}
			if !strings.Contains(pg.body, s) {
				t.Errorf("%s: the page does not contain %q", st.Code, s)
			}
		}
		if closedStages(st.Code) && strings.Contains(pg.body, `method="post" action="/ho-so/`) {
			t.Errorf("%s: a closed case offers forms", st.Code)
		}
	}
}

func closedStages(code string) bool {
	return code == domain.CaseOfficial || code == domain.CaseStruckOff || code == domain.CaseRefused || code == domain.CaseWithdrawn
}

// TestCasePageRules: the page shows the deadlines in Vietnamese dates
// with the overdue ones marked, a step the rules refuse is shown again
// with the failing verdicts and their sources (422, nothing written), a
// vote below 2/3 is recorded and goes to the deciding body, whose
// conclusion (the organizer's) ends the case, a stale version is a
// 409 with the conflict message, a secretary reads only her chapter.
func TestCasePageRules(t *testing.T) {
	e := newEnv(t)
	_, inB := e.tree()
	start := domain.Day(2023, 10, 2)
	voted := e.drive(e.person("Đỗ Văn Hải", "kp-a", domain.StageSource, domain.Day(1997, 2, 2)), "kp-a", start, domain.CaseChapterVoted)
	bCase := e.openCase(inB, "kp-b", domain.Day(2024, 1, 5))
	// A dossier with one introducer only.
	p := e.person("Lý Thị Mai", "kp-a", domain.StageSource, domain.Day(1999, 3, 3))
	cs := e.dossier(e.openCase(p, "kp-a", domain.Day(2024, 1, 2)), "kp-a", domain.Day(2024, 1, 2))
	v, err := e.svc.Case(e.sys, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	cs = e.ok(e.svc.RemoveIntroducer(e.sys, cs.ID, v.Introducers[0].ID, cs.Version))
	e.clock(today)

	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")

	// The decision is 60 working days after the chapter vote of 11/11/2023: overdue.
	pg := c.get(caseLink(voted))
	wantStatus(t, pg, http.StatusOK)
	wantIn(t, pg, "Quyết định kết nạp", `<span class="badge late">Quá hạn</span>`, `class="late-text"`, "11/11/2023",
		"Ban Tổ chức (Ban Xây dựng Đảng) cấp ủy có thẩm quyền", "QĐ24")
	if strings.Contains(pg.body, `action="/ho-so/`+strconv.FormatInt(voted.ID, 10)+`/quyet-dinh"`) {
		t.Error("a secretary is offered the decision form")
	}

	// Another chapter's case: the 403 page.
	pg = c.get(caseLink(bCase))
	wantStatus(t, pg, http.StatusForbidden)
	wantIn(t, pg, "Bạn không có quyền")

	// The chapter vote with one introducer: refused by the rules, nothing written.
	link := caseLink(cs)
	pg = c.get(link)
	wantIn(t, pg, "Chưa đạt — Người giới thiệu", "Căn cứ: ")
	form := formValues(pg.body, link+"/bieu-quyet")
	if form == nil {
		t.Fatal("no chapter vote form")
	}
	form.Set("number", "NQ-15")
	for k, n := range map[string]string{"members": "12", "excluded": "1", "present": "11", "yes": "10", "no": "1"} {
		form.Set(k, n)
	}
	pg = c.post(link+"/bieu-quyet", form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "Không thể ghi nghị quyết chi bộ đề nghị kết nạp", `<li class="v-fail"><strong>Chưa đạt — Người giới thiệu</strong>`,
		`value="NQ-15"`, `id="f-admission-vote" open`, "Căn cứ: QĐ24")
	after, err := e.svc.Case(e.sys, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != cs.Version || len(after.Votes) != 0 {
		t.Errorf("the refused vote wrote something: version %d → %d, %d votes", cs.Version, after.Version, len(after.Votes))
	}

	// The second introducer, then a vote of 7 of 11 counted (< 2/3): recorded, not admitted.
	form2 := formValues(pg.body, link+"/gioi-thieu")
	form2.Set("other_id", strconv.FormatInt(e.member("kp-a"), 10))
	form2.Set("months_together", "15")
	pg = c.post(link+"/gioi-thieu", form2)
	if pg.status != http.StatusSeeOther || pg.header.Get("Location") != link+"?da=gioi-thieu" {
		t.Fatalf("introducer: %d %q %s", pg.status, pg.header.Get("Location"), text(pg.body))
	}
	stale := form.Get("version")
	pg = c.get(pg.header.Get("Location"))
	wantIn(t, pg, "Đã ghi người giới thiệu.")
	form = formValues(pg.body, link+"/bieu-quyet")
	for k, n := range map[string]string{"number": "NQ-16", "members": "12", "excluded": "1", "present": "11", "yes": "7", "no": "4"} {
		form.Set(k, n)
	}
	// Without the version: the service asks to reload, the form keeps what was typed.
	fresh := form.Get("version")
	form.Del("version")
	pg = c.post(link+"/bieu-quyet", form)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "Thiếu phiên bản của hồ sơ bạn đã xem", "hãy tải lại hồ sơ rồi làm lại", `value="NQ-16"`)
	// Then with the version seen before the introducer: a conflict.
	form.Set("version", stale)
	pg = c.post(link+"/bieu-quyet", form)
	wantStatus(t, pg, http.StatusConflict)
	wantIn(t, pg, "vừa được người khác thay đổi", `value="NQ-16"`, `name="version" value="`+fresh+`"`)
	form.Set("version", fresh)
	pg = c.post(link+"/bieu-quyet", form)
	wantStatus(t, pg, http.StatusSeeOther)
	pg = c.get(link)
	wantIn(t, pg, `id="stage">Biểu quyết không đạt, chờ cấp có thẩm quyền kết luận`, "Không đạt", "Điều lệ Đ.4", "7 <small>(không: 4",
		"Chi bộ biểu quyết 7/11 tán thành, không đạt", "Ban Tổ chức (Ban Xây dựng Đảng) cấp ủy có thẩm quyền", "Kết luận về biểu quyết không đạt")
	if strings.Contains(pg.body, link+"/ket-luan") {
		t.Error("a secretary is offered the deciding body's conclusion")
	}
	// The organizer records the deciding body's conclusion (HD06 §5.1): the case ends.
	e.user("tochuc", domain.RoleOrganizer, "kp")
	o := e.client()
	o.login("tochuc")
	pg = o.get(link)
	form = formValues(pg.body, link+"/ket-luan")
	if form == nil {
		t.Fatal("no conclusion form for the organizer")
	}
	form.Set("number", "TB-7")
	form.Set("conclusion", "Không kết nạp; chi bộ tiếp tục bồi dưỡng")
	pg = o.post(link+"/ket-luan", form)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("conclusion: %d %s", pg.status, text(pg.body))
	}
	pg = o.get(link)
	wantIn(t, pg, `id="stage">Không được kết nạp`, "thông báo số TB-7", "Không kết nạp; chi bộ tiếp tục bồi dưỡng")

	// A viewer reads the case but gets no forms, and a post is refused.
	e.user("lanhdao", domain.RoleViewer, "kp")
	l := e.client()
	l.login("lanhdao")
	pg = l.get(caseLink(voted))
	wantStatus(t, pg, http.StatusOK)
	if strings.Contains(pg.body, `method="post" action="/ho-so/`) {
		t.Error("a viewer gets a form")
	}
	pg = l.post(caseLink(voted)+"/tam-dung", url.Values{"version": {strconv.FormatInt(voted.Version, 10)}, "date": {"2024-05-04"}, "reason": {"Thử"}})
	wantStatus(t, pg, http.StatusForbidden)
}

// multipart posts a file with the fields.
func (c *client) upload(path, name string, data []byte, fields url.Values) page {
	c.e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestCaseFiles(t *testing.T) {
	e := newEnv(t)
	e.tree()
	p := e.person("Lò Văn Sáng", "kp-a", domain.StageSource, domain.Day(1996, 6, 6))
	cs := e.openCase(p, "kp-a", domain.Day(2024, 4, 1))
	e.clock(today)
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	c := e.client()
	c.login("bithu-a")
	link := caseLink(cs)
	ver := url.Values{"version": {strconv.FormatInt(cs.Version, 10)}, "kind": {"application"}}

	// A text file renamed .pdf is refused by its content.
	pg := c.upload(link+"/tep", "don.pdf", []byte("Kính gửi chi bộ, tôi xin vào Đảng."), ver)
	wantStatus(t, pg, http.StatusUnprocessableEntity)
	wantIn(t, pg, "Chỉ nhận bản quét PDF, JPEG hoặc PNG; nội dung tệp &#34;don.pdf&#34; là text/plain", `id="f-upload" open`)

	// A PDF is stored with its checksum and comes back as it went.
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pg = c.upload(link+"/tep", "Đơn xin vào Đảng.pdf", pdf, ver)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", pg.status, text(pg.body))
	}
	pg = c.get(pg.header.Get("Location"))
	wantIn(t, pg, "Đã lưu bản quét.", "Đơn xin vào Đảng.pdf", "application/pdf")
	v, err := e.svc.Case(e.sys, cs.ID)
	if err != nil || len(v.Files) != 1 {
		t.Fatalf("files %v %v", v, err)
	}
	f := v.Files[0]
	wantIn(t, pg, fmt.Sprintf(`href="/ho-so/%d/tep/%d">tệp 1</a>`, cs.ID, f.ID)) // on the checklist
	pg = c.get(fmt.Sprintf("%s/tep/%d", link, f.ID))
	wantStatus(t, pg, http.StatusOK)
	if pg.body != string(pdf) || pg.header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(pg.header.Get("Content-Disposition"), "attachment; filename*=UTF-8''") {
		t.Errorf("download: %q %q %q", pg.body, pg.header.Get("Content-Type"), pg.header.Get("Content-Disposition"))
	}
	// Larger than 1 MB (the other forms' limit) but under 10 MB goes through.
	big := append(bytes.Repeat([]byte("%PDF-1.4\n"), 1), bytes.Repeat([]byte("0"), 3<<20)...)
	ver.Set("version", strconv.FormatInt(v.Version, 10))
	pg = c.upload(link+"/tep", "lyl.pdf", big, ver)
	if pg.status != http.StatusSeeOther {
		t.Fatalf("3 MB upload: %d %s", pg.status, text(pg.body))
	}
	// Over 10 MB: 413.
	pg = c.upload(link+"/tep", "qua-lon.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...), ver)
	wantStatus(t, pg, http.StatusRequestEntityTooLarge)
}

// After three failed chapter votes on recognition the page offers the
// organizer the upper committee's decision, either way (QĐ294 §4.2.3).
func TestCasePageReferred(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.committeeTree()
	start := domain.Day(2022, 6, 1)
	p := e.person("Ứng Viên Ba Lần", "kp-a", domain.StageSource, domain.Day(1998, 1, 1))
	cs := e.drive(p, "kp-a", start, domain.CaseProbation)
	end := start.AddDate(0, 0, 70).AddDate(1, 0, 0)
	e.clock(end)
	for _, k := range []string{domain.DocNewMemberCertificate, rules.FormSelfReview, rules.FormHelperAssessment, rules.FormProbationOpinions} {
		cs = e.ok(e.svc.RecordDocument(e.sys, cs.ID, service.DocumentInput{Kind: k, Date: end, Version: cs.Version}))
	}
	for i := range 3 {
		d := end.AddDate(0, 0, 3+i)
		e.clock(d)
		cs = e.ok(e.svc.Vote(e.sys, cs.ID, domain.PurposeRecognition, vote(domain.LevelChapter, d, 6, cs.Version)))
	}
	e.clock(today)
	e.user("tochuc", domain.RoleOrganizer, "kp")
	c := e.client()
	c.login("tochuc")
	pg := c.get(caseLink(cs))
	wantStatus(t, pg, http.StatusOK)
	wantIn(t, pg, `id="referred"`, `<select id="decision-purpose" name="purpose">`, `action="/ho-so/`+strconv.FormatInt(cs.ID, 10)+`/quyet-dinh"`)
	form := url.Values{"version": {strconv.FormatInt(cs.Version, 10)}, "purpose": {"strike_off"}, "number": {"QĐ-XT"},
		"date": {today.Format(domain.DateLayout)}, "members": {"7"}, "present": {"7"}, "yes": {"5"}, "no": {"2"}}
	res := c.post(caseLink(cs)+"/quyet-dinh", form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("the upper committee's decision: %d %s", res.status, res.body)
	}
	if v, _ := e.svc.Case(e.sys, cs.ID); v.Stage != domain.CaseStruckOff {
		t.Errorf("stage %s after the upper committee struck off the member", v.Stage)
	}
}
