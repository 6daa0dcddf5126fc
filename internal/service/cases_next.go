package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// "Việc cần làm": for each case the checklist of documents, the next
// action and who owns it, and the pending deadlines in working days.

// ladder is the chain of votes between the chapter and the decision for
// a chapter on a date (DOMAIN §2 admission authority).
type ladder struct {
	Decider    *domain.Org
	Authorised bool // the decider is an authorised grassroots committee
	Sub        bool // a sub-committee review sits between chapter and decision
	Committee  bool // a grassroots committee resolution sits between them
}

// ladderOf reads the admission authority in force for the chapter on d;
// when none is recorded it follows the tree of that day: the nearest
// district, commune or province committee decides, with a grassroots
// committee or sub-committee step when the chapter sits under one. Each
// step resolves it on its own date (issue 12): after a reorganisation
// the new deciding body decides the steps that remain.
func (s *Service) ladderOf(ctx context.Context, q *store.Store, org *domain.Org, d time.Time) (l ladder, err error) {
	if s.ladders != nil {
		k := ladderKey{org.ID, d}
		if l, ok := s.ladders[k]; ok {
			return l, nil
		}
		defer func() {
			if err == nil {
				s.ladders[k] = l
			}
		}()
	}
	return s.readLadder(ctx, q, org, d)
}

func (s *Service) readLadder(ctx context.Context, q *store.Store, org *domain.Org, d time.Time) (ladder, error) {
	var l ladder
	// the chapter where it stood on d
	if _, path, err := q.PlaceOn(ctx, org.ID, d); err != nil {
		return l, err
	} else if path != org.Path {
		at := *org
		at.Path = path
		org = &at
	}
	a, err := q.AuthorityOn(ctx, org, d)
	if err != nil {
		return l, err
	}
	if a != nil {
		if l.Decider, err = q.GetOrg(ctx, a.DeciderID); err != nil {
			return l, err
		}
		l.Authorised, l.Sub, l.Committee = a.Authorised, a.SubCommittee, a.GrassrootsLevel && !a.Authorised
		if !l.Sub && a.OrgID != org.ID {
			// a record on a unit above applies to its whole subtree: a
			// sub-committee between this chapter and the decider still
			// reviews (HD06 §3.6b)
			above, err := q.OrgsByIDs(ctx, store.PathIDs(org.Path))
			if err != nil {
				return l, err
			}
			for _, x := range above {
				if x.Kind == domain.KindSubCommittee && x.ID != org.ID && l.Decider.Contains(x) && x.ID != l.Decider.ID {
					l.Sub = true
				}
			}
		}
		return l, nil
	}
	ids := store.PathIDs(org.Path)
	orgs, err := q.OrgsByIDs(ctx, ids)
	if err != nil {
		return l, err
	}
	byID := map[int64]*domain.Org{}
	for _, o := range orgs {
		byID[o.ID] = o
	}
	for i := len(ids) - 2; i >= 0; i-- {
		o := byID[ids[i]]
		if o == nil {
			continue
		}
		switch o.Kind {
		case domain.KindSubCommittee:
			l.Sub = true
		case domain.KindGrassroots:
			l.Committee = true
		case domain.KindDistrict, domain.KindCommune, domain.KindProvince:
			l.Decider = o
			return l, nil
		}
	}
	if len(ids) > 1 {
		l.Decider = byID[ids[0]]
	}
	return l, nil
}

// ChecklistItem is one document of the procedure and whether it is on file.
type ChecklistItem struct {
	Kind     string
	Code     string // the form code of the rule set (a label, admission-rules §10)
	Name     string
	Phase    string // domain.PurposeAdmission or domain.PurposeRecognition
	Needed   bool   // required at the case's stage (or before it)
	Done     bool
	Number   string
	Date     *time.Time
	Note     string
	FileIDs  []int64 // attached scans of this kind
	Required string  // why it is needed, when it depends on the case
}

// casePlan is what comes next for a case.
type casePlan struct {
	Checklist []ChecklistItem
	Missing   []ChecklistItem // needed and not done, before the next vote
	Action    string
	Owner     string
	Due       *time.Time
	Deadlines []domain.CaseDeadline
	Ladder    ladder
	Set       rules.Set

	RecognitionLadder ladder // the ladder for recognition or striking off

	caseID int64 // the case the deadlines are of
}

// at is the anchor that chooses the rule set and the ladder: the chapter's
// admission resolution, or today before it. A resolution below its
// threshold counts too: it ends the case under the rules it was judged by.
func (st *caseState) at() time.Time {
	if v := st.vote(domain.PurposeAdmission, domain.LevelChapter); v != nil {
		return v.Date
	}
	return st.today
}

// recognitionAt is the anchor of recognition and striking off: the
// chapter's latest resolution on either, or today before it.
func (st *caseState) recognitionAt() time.Time {
	at := st.today
	for _, v := range st.parts.Votes {
		if v.Level == domain.LevelChapter && v.Purpose != domain.PurposeAdmission {
			at = v.Date
		}
	}
	return at
}

// ladderDay is the day whose ladder the case's next steps follow: anchor
// (the chapter resolution's day), or today while the case waits, at one
// of the stages, for the steps above the chapter.
func (st *caseState) ladderDay(anchor time.Time, waiting ...string) time.Time {
	if !st.c.Closed() && slices.Contains(waiting, st.c.Stage) && st.today.After(anchor) {
		return st.today
	}
	return anchor
}

// vote returns the latest vote of the purpose at the level, in the
// current round (not before the latest chapter vote of the purpose).
func (st *caseState) vote(purpose, level string) *domain.CaseVote {
	var chapter, found *domain.CaseVote
	for _, v := range st.parts.Votes {
		if v.Purpose != purpose {
			continue
		}
		if v.Level == domain.LevelChapter {
			chapter, found = v, nil
		}
		if v.Level == level {
			found = v
		}
	}
	if found != nil && chapter != nil && found.Date.Before(chapter.Date) {
		return nil
	}
	return found
}

func (st *caseState) doc(kind string) *domain.CaseDocument {
	for _, d := range st.parts.Documents {
		if d.Kind == kind {
			return d
		}
	}
	return nil
}

func (st *caseState) files(kind string) []int64 {
	var ids []int64
	for _, f := range st.parts.Files {
		if f.Kind == kind {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

// pendingVerifications are the requests without a reply.
func (st *caseState) pendingVerifications() []*domain.CaseVerification {
	var out []*domain.CaseVerification
	for _, v := range st.parts.Verifications {
		if v.RepliedOn == nil {
			out = append(out, v)
		}
	}
	return out
}

// checklist lists the documents of both phases with what is on file.
func (st *caseState) checklist(set *rules.Set, l, lr ladder) []ChecklistItem {
	// the Youth Union's route: a member of youth age where it has an organisation
	youthRoute := st.person.YouthUnion && st.c.YouthUnionExists && rules.IsYouth(set, rules.AgeMonths(st.person.BirthDate, st.at()))
	tradeRoute := st.person.TradeUnion && !st.c.YouthUnionExists
	item := func(kind, phase string, needed bool) ChecklistItem {
		it := ChecklistItem{Kind: kind, Code: set.Forms[kind], Name: domain.DocumentNames[kind], Phase: phase, Needed: needed,
			FileIDs: st.files(kind)}
		if kind == domain.DocNewMemberCertificate {
			it.Code = "Mẫu 6.2 (QĐ1147)"
		}
		if d := st.doc(kind); d != nil {
			it.Done, it.Number, it.Date, it.Note = true, d.Number, &d.Date, d.Note
		}
		return it
	}
	adm, rec := domain.PurposeAdmission, domain.PurposeRecognition
	cert := item(rules.FormCertificate, adm, true)
	if st.c.CertificateDate != nil {
		cert.Done, cert.Number, cert.Date = true, st.c.CertificateNo, st.c.CertificateDate
	}
	intro := item(rules.FormIntroduction, adm, true)
	if n := len(st.parts.Introducers); n > 0 {
		intro.Done, intro.Note = true, fmt.Sprintf("%d người giới thiệu", n)
		intro.Date = st.parts.Introducers[n-1].LetterDate
	}
	youth := item(rules.FormYouthUnionResolution, adm, youthRoute)
	if youthRoute {
		youth.Required = "đoàn viên trong độ tuổi thanh niên, nơi có tổ chức Đoàn"
	}
	list := []ChecklistItem{cert, item(rules.FormApplication, adm, true), item(rules.FormPersonalHistory, adm, true),
		intro, youth}
	if tradeRoute {
		list = append(list, item(rules.FormTradeUnionResolution, adm, false))
	}
	list = append(list, item(rules.FormOpinions, adm, true))
	votes := func(purpose string, l ladder, kinds [4]string) {
		for i, level := range []string{domain.LevelChapter, domain.LevelSubcommittee, domain.LevelCommittee, domain.LevelDecision} {
			if (level == domain.LevelSubcommittee && !l.Sub) || (level == domain.LevelCommittee && !l.Committee) {
				continue
			}
			it := item(kinds[i], purpose, false)
			if v := st.vote(purpose, level); v != nil && v.Passed {
				it.Done, it.Number, it.Date = true, v.Number, &v.Date
			}
			list = append(list, it)
		}
	}
	votes(adm, l, [4]string{rules.FormChapterResolution, rules.FormSubcommitteeReport, rules.FormCommitteeResolution, rules.FormDecision})
	if st.c.Kind == domain.CaseImported {
		// decided before ketnap: the admission documents are on paper
		for i := range list {
			list[i].Needed = false
			if list[i].Kind == rules.FormDecision {
				list[i].Done, list[i].Number, list[i].Date = true, st.c.DecisionNo, st.c.DecisionDate
			}
		}
	}
	list = append(list, item(domain.DocNewMemberCertificate, rec, true), item(rules.FormSelfReview, rec, true),
		item(rules.FormHelperAssessment, rec, true), item(rules.FormProbationOpinions, rec, true))
	votes(rec, lr, [4]string{rules.FormRecognitionResolution, rules.FormRecognitionReport, rules.FormRecognitionCommittee, rules.FormRecognitionDecision})
	return list
}

// plan computes the checklist, the next action, its owner and the
// pending deadlines of the case as it stands in st, reading through q.
// A step computes it once, inside its transaction (runStep).
func (s *Service) plan(ctx context.Context, q *store.Store, st *caseState) (*casePlan, error) {
	if n, ok := ctx.Value(planCountKey{}).(*planCount); ok {
		n.count(q.InTx())
	}
	if err := s.classCertificates(ctx, q, st); err != nil {
		return nil, err
	}
	at := st.at()
	// the ladder of the next step: the chapter resolution's, or for the
	// steps above the chapter still to come the one in force today (a
	// reorganisation since the resolution changes who decides, issue 12)
	l, err := s.ladderOf(ctx, q, st.org, st.ladderDay(at, domain.CaseChapterVoted, domain.CaseCommitteeVoted, domain.CaseVoteFailed))
	if err != nil {
		return nil, err
	}
	lr := l
	rat := st.ladderDay(st.recognitionAt(), domain.CaseRecognitionVote, domain.CaseStrikeOffVote)
	if !rat.Equal(st.ladderDay(at, domain.CaseChapterVoted, domain.CaseCommitteeVoted, domain.CaseVoteFailed)) {
		if lr, err = s.ladderOf(ctx, q, st.org, rat); err != nil {
			return nil, err
		}
	}
	pl := newPlan(st, rules.InForce(at), l, lr)
	if st.c.Closed() {
		return pl, nil
	}
	pl.verificationDeadlines(st)
	if c := st.c; c.PausedOn != nil {
		pl.next("Tạm dừng từ ngày "+vn.Date(*c.PausedOn)+": "+c.PauseReason, domain.OwnerChapter, nil)
		return pl, nil
	}
	return pl, pl.nextSteps(st)
}

// newPlan is the plan's checklist under the rule set and the ladders, with
// the documents of the case's phase still missing.
func newPlan(st *caseState, set rules.Set, l, lr ladder) *casePlan {
	pl := &casePlan{Set: set, Ladder: l, RecognitionLadder: lr, caseID: st.c.ID}
	pl.Checklist = st.checklist(&pl.Set, l, lr)
	phase := domain.PurposeAdmission
	if st.c.CeremonyDate != nil {
		phase = domain.PurposeRecognition
	}
	for _, it := range pl.Checklist {
		if it.Phase == phase && it.Needed && !it.Done {
			pl.Missing = append(pl.Missing, it)
		}
	}
	return pl
}

// nextSteps sets the next action and the deadlines of the open case's
// stage.
func (pl *casePlan) nextSteps(st *caseState) error {
	switch st.c.Stage {
	case domain.CaseSource, domain.CaseDossier:
		pl.beforeChapterVote(st)
	case domain.CaseChapterVoted, domain.CaseCommitteeVoted:
		return pl.awaitingDecision(st)
	case domain.CaseVoteFailed:
		return pl.awaitingConclusion(st)
	case domain.CaseDecided:
		return pl.awaitingCeremony(st)
	case domain.CaseProbation:
		return pl.inProbation(st)
	case domain.CaseRecognitionVote:
		rv := st.vote(domain.PurposeRecognition, domain.LevelChapter)
		rset := rules.InForce(rv.Date)
		due, err := pl.decisionDue(st, rv.Date, rset.RecognitionDeadline, domain.DeadlineRecognition, "Quyết định công nhận đảng viên chính thức")
		if err != nil {
			return err
		}
		pl.upper(st, domain.PurposeRecognition, due, nil, "Ra quyết định công nhận đảng viên chính thức")
	case domain.CaseStrikeOffVote:
		pl.upper(st, domain.PurposeStrikeOff, nil, nil, "Ra quyết định xóa tên đảng viên dự bị")
	}
	return nil
}

// deadline adds a pending deadline.
func (pl *casePlan) deadline(kind string, due time.Time, ext *time.Time, owner, label string) {
	pl.Deadlines = append(pl.Deadlines, domain.CaseDeadline{CaseID: pl.caseID, Kind: kind, Due: due, Extended: ext, Owner: owner, Label: label})
}

// next sets the next action, unless one is set already.
func (pl *casePlan) next(action, owner string, due *time.Time) {
	if pl.Action == "" {
		pl.Action, pl.Owner, pl.Due = action, owner, due
	}
}

// missingNames names the documents still missing, with their forms.
func (pl *casePlan) missingNames() string {
	names := make([]string, len(pl.Missing))
	for i, it := range pl.Missing {
		names[i] = it.Name + " (" + it.Code + ")"
	}
	return strings.Join(names, "; ")
}

// decisionDue adds the deadline of a decision due in working days from
// anchor (with its extension) and returns its date.
func (pl *casePlan) decisionDue(st *caseState, anchor time.Time, dr rules.DeadlineRule, kind, what string) (*time.Time, error) {
	base, err := st.cal.AddWorkdays(anchor, dr.Workdays)
	if err != nil {
		return nil, calendarErr("date", err)
	}
	ext, err := st.cal.AddWorkdays(anchor, dr.Workdays+dr.Extension)
	if err != nil {
		return nil, calendarErr("date", err)
	}
	pl.deadline(kind, base, &ext, domain.OwnerBoard, fmt.Sprintf("%s: %d ngày làm việc kể từ ngày %s (gia hạn tối đa đến %s) (%s)",
		what, dr.Workdays, vn.Date(anchor), vn.Date(ext), dr.Source))
	return &base, nil
}

// upper sets the next action of the ladder above the chapter for the
// purpose: the steps still to vote, the consents, then the decision.
func (pl *casePlan) upper(st *caseState, purpose string, due *time.Time, consents []string, decide string) {
	l := pl.Ladder
	if purpose != domain.PurposeAdmission {
		l = pl.RecognitionLadder
	}
	switch {
	case l.Sub && !passed(st.vote(purpose, domain.LevelSubcommittee)):
		pl.next("Đảng ủy bộ phận thẩm định nghị quyết của chi bộ", domain.OwnerSubcommittee, due)
	case l.Committee && !passed(st.vote(purpose, domain.LevelCommittee)):
		pl.next("Đảng ủy cơ sở xét, biểu quyết", domain.OwnerCommittee, due)
	case len(consents) > 0:
		pl.next("Xin văn bản đồng ý của Ban Thường vụ Tỉnh ủy: "+strings.Join(consents, "; "), domain.OwnerProvince, due)
	default:
		pl.next(decide, domain.OwnerBoard, due)
	}
}

// beforeChapterVote plans the source pool and the dossier: the
// certificate's and the dossier's lapse, and the next step towards the
// chapter's vote.
func (pl *casePlan) beforeChapterVote(st *caseState) {
	c, set := st.c, &pl.Set
	if c.CertificateDate != nil {
		end := calendar.AddMonths(*c.CertificateDate, set.Certificate.Months)
		pl.deadline(domain.DeadlineCertificateLapse, end, nil, domain.OwnerChapter, fmt.Sprintf("Giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng cấp ngày %s còn giá trị đến ngày %s; chi bộ phải xét trước ngày này (%s)",
			vn.Date(*c.CertificateDate), vn.Date(end), set.Certificate.Source))
	}
	if c.DossierOpened != nil {
		end := calendar.AddMonths(*c.DossierOpened, set.DossierAge.Months)
		pl.deadline(domain.DeadlineDossierLapse, end, nil, domain.OwnerChapter, fmt.Sprintf("Hồ sơ lập ngày %s: chi bộ phải xét chậm nhất ngày %s, quá hạn phải làm lại giấy giới thiệu, nghị quyết Đoàn/công đoàn, ý kiến nhận xét (%s)",
			vn.Date(*c.DossierOpened), vn.Date(end), set.DossierAge.Source))
	}
	var lapse *time.Time
	for _, d := range pl.Deadlines {
		if d.Kind != domain.DeadlineVerification && (lapse == nil || d.Due.Before(*lapse)) {
			lapse = &d.Due
		}
	}
	switch {
	case c.HelperID == 0:
		pl.next("Phân công đảng viên chính thức giúp đỡ quần chúng", domain.OwnerChapter, nil)
	case c.CertificateDate == nil:
		pl.next("Cử quần chúng đi học lớp bồi dưỡng nhận thức về Đảng", domain.OwnerChapter, nil)
	case c.Stage == domain.CaseSource:
		pl.next("Cho quần chúng làm thủ tục, lập hồ sơ kết nạp", domain.OwnerChapter, nil)
	case c.DossierOpened != nil && st.today.After(calendar.AddMonths(*c.DossierOpened, set.DossierAge.Months)):
		pl.next("Hồ sơ đã quá 12 tháng mà chi bộ chưa xét: làm lại giấy giới thiệu, nghị quyết Đoàn/công đoàn, thẩm tra bổ sung, ý kiến nhận xét rồi lập lại hồ sơ", domain.OwnerChapter, lapse)
	case len(pl.Missing) > 0:
		pl.next("Hoàn thiện hồ sơ, còn thiếu: "+pl.missingNames(), domain.OwnerChapter, lapse)
	case len(st.parts.Verifications) == 0:
		pl.next("Gửi yêu cầu thẩm tra lý lịch", domain.OwnerChapter, lapse)
	case len(st.pendingVerifications()) > 0:
		p := st.pendingVerifications()[0]
		pl.next("Chờ trả lời thẩm tra lý lịch ("+p.Addressee+")", domain.OwnerVerifier, &p.Due)
	default:
		pl.next("Chi bộ họp xét, biểu quyết đề nghị kết nạp", domain.OwnerChapter, lapse)
	}
}

// awaitingDecision plans the ladder after the chapter's admission
// resolution: the decision's deadline, a transferred dossier's, and the
// next step up.
func (pl *casePlan) awaitingDecision(st *caseState) error {
	cv := st.vote(domain.PurposeAdmission, domain.LevelChapter)
	due, err := pl.decisionDue(st, cv.Date, pl.Set.DecisionDeadline, domain.DeadlineDecision, "Quyết định kết nạp")
	if err != nil {
		return err
	}
	if t := st.lastTransfer(); t != nil && t.Date.After(cv.Date) {
		if err := pl.transferDeadline(st, t); err != nil {
			return err
		}
	}
	pl.upper(st, domain.PurposeAdmission, due, missingConsents(st, &pl.Set), "Thẩm định lại hồ sơ và ra quyết định kết nạp")
	return nil
}

// awaitingCeremony plans the ceremony after the decision: 30 working
// days from the chapter's receipt of the decision (QĐ294 §4.1), from the
// decision's date while no receipt is recorded, flagged.
func (pl *casePlan) awaitingCeremony(st *caseState) error {
	c, set := st.c, &pl.Set
	anchor, what, flag := c.DecisionDate, "ngày quyết định", "; chưa ghi ngày chi bộ nhận quyết định nên tạm tính từ ngày quyết định"
	if c.DecisionReceived != nil {
		anchor, what, flag = c.DecisionReceived, "ngày chi bộ nhận quyết định", ""
	}
	due, err := rules.CeremonyDue(set, st.cal, *anchor)
	if err != nil {
		return calendarErr("date", err)
	}
	pl.deadline(domain.DeadlineCeremony, due, nil, domain.OwnerChapter, fmt.Sprintf("Lễ kết nạp: trong %d ngày làm việc kể từ %s %s (%s)%s",
		set.CeremonyDeadline.Workdays, what, vn.Date(*anchor), set.CeremonyDeadline.Source, flag))
	pl.Deadlines[len(pl.Deadlines)-1].Provisional = c.DecisionReceived == nil
	pl.next("Tổ chức lễ kết nạp", domain.OwnerChapter, &due)
	return nil
}

// inProbation plans the probation: the recognition vote's deadline and
// what the chapter does until then, or the upper committee after the
// chapter's third failed vote.
func (pl *casePlan) inProbation(st *caseState) error {
	c, set := st.c, &pl.Set
	end := rules.ProbationEnd(set, *c.CeremonyDate)
	due, err := rules.RecognitionVoteDue(set, st.cal, end)
	if err != nil {
		return calendarErr("date", err)
	}
	if n, last := st.failedProbationVotes(); n >= ReferralVotes {
		pl.next(fmt.Sprintf("Chi bộ đã %d lần biểu quyết công nhận chính thức hoặc xóa tên không đạt (lần cuối ngày %s): báo cáo cấp ủy cấp trên xem xét, quyết định (QĐ294 §4.2.3)",
			n, vn.Date(last.Date)), domain.OwnerBoard, nil)
		return nil
	}
	pl.deadline(domain.DeadlineRecognitionVote, due, nil, domain.OwnerChapter, fmt.Sprintf("Hết 12 tháng dự bị ngày %s: chi bộ xét công nhận chính thức chậm nhất ngày %s (%s)",
		vn.Date(end), vn.Date(due), set.RecognitionVote.Source))
	switch {
	case st.doc(domain.DocNewMemberCertificate) == nil:
		pl.next("Cử đảng viên dự bị đi học lớp bồi dưỡng lý luận chính trị cho đảng viên mới", domain.OwnerChapter, &due)
	case st.today.Before(end.AddDate(0, 0, -30)):
		pl.next("Giúp đỡ, theo dõi đảng viên dự bị đến hết 12 tháng dự bị ("+vn.Date(end)+")", domain.OwnerChapter, &due)
	case len(pl.Missing) > 0:
		pl.next("Chuẩn bị hồ sơ công nhận chính thức, còn thiếu: "+pl.missingNames(), domain.OwnerChapter, &due)
	}
	pl.next(fmt.Sprintf("Chi bộ xét, biểu quyết đề nghị công nhận chính thức (từ ngày %s)", vn.Date(end)), domain.OwnerChapter, &due)
	return nil
}

// planCount counts the plans computed for a context (CountPlans in the
// tests) and those computed outside a transaction.
type planCount struct{ total, outside atomic.Int64 }

type planCountKey struct{}

func (n *planCount) count(inTx bool) {
	n.total.Add(1)
	if !inTx {
		n.outside.Add(1)
	}
}

func passed(v *domain.CaseVote) bool { return v != nil && v.Passed }

func (st *caseState) lastTransfer() *domain.CaseTransfer {
	if n := len(st.parts.Transfers); n > 0 {
		return st.parts.Transfers[n-1]
	}
	return nil
}

func subjectName(code string) string {
	if n, ok := domain.VerificationSubjects[code]; ok {
		return n
	}
	return code
}

// lowerInitial lower-cases the first letter only.
func lowerInitial(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToLower(string(r)) + s[n:]
}
