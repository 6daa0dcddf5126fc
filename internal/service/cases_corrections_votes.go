package service

import (
	"slices"
	"strconv"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/vn"
)

// Correcting a vote or a decision: its date, number and figures, counted
// again against the threshold, with the effects on the stage and the
// steps after it.

// figure is a vote's figure, corrected or kept.
func figure(p *int, old int) int {
	if p != nil {
		return *p
	}
	return old
}

// vote corrects a vote's (or a decision's) date, number and figures. The
// vote is counted again against its threshold; its result may change only
// while nothing was recorded on it (no later vote of its purpose, not a
// decision), and the stage follows it. Its date stays between its
// neighbours on the ladder; a chapter's resolution keeps the rule set and
// the ladder of the steps recorded on it. The terms and the candidate's
// conditions it was judged on are judged again.
func (k *corrector) vote() error {
	st := k.st
	i := slices.IndexFunc(st.parts.Votes, func(v *domain.CaseVote) bool { return v.ID == k.in.ID })
	if i < 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy biểu quyết số %d của hồ sơ", k.in.ID)
	}
	x := st.parts.Votes[i]
	if x.Level != domain.LevelChapter {
		if err := k.board(); err != nil {
			return err
		}
	}
	nx := *x
	if k.in.Date != nil {
		nx.Date = *k.in.Date
	}
	if k.in.Number != nil {
		nx.Number = vn.Clean(*k.in.Number)
	}
	nx.Members, nx.Excluded, nx.Present = figure(k.in.Members, x.Members), figure(k.in.Excluded, x.Excluded), figure(k.in.Present, x.Present)
	nx.Yes, nx.No = figure(k.in.Yes, x.Yes), figure(k.in.No, x.No)
	if err := nx.Validate(); err != nil {
		return err
	}
	if nx.Level == domain.LevelDecision && nx.Number == "" {
		return domain.FieldError("number", "Cần số quyết định")
	}
	prev, next := k.neighbours(i)
	if prev != nil {
		if err := notBefore("date", nx.Date, &prev.Date, "bước biểu quyết trước"); err != nil {
			return err
		}
	}
	if next != nil && nx.Date.After(next.Date) {
		return domain.FieldError("date", "Ngày %s sau bước biểu quyết tiếp theo (%s)", vn.Date(nx.Date), vn.Date(next.Date))
	}
	l, err := k.voteLadder(x, &nx, next != nil)
	if err != nil {
		return err
	}
	nx.Passed = thresholdOf(&nx).OK
	if nx.Passed != x.Passed {
		if next != nil || nx.Level == domain.LevelDecision {
			return domain.FieldError("yes", "Với số liệu đính chính, kết quả biểu quyết đổi từ %s sang %s, nhưng các bước sau đã ghi theo kết quả cũ: không đính chính được; hãy xem lại số liệu hoặc rút hồ sơ",
				passedName(x.Passed), passedName(nx.Passed))
		}
		st.c.Stage = stageAfterVote(&nx, l)
	}
	if err := k.voteOrder(&nx); err != nil {
		return err
	}
	k.what, k.recordID = VoteLabel(x), x.ID
	k.change("date", "Ngày", isoDate(&x.Date), isoDate(&nx.Date))
	k.change("number", "Số", x.Number, nx.Number)
	for _, f := range []struct {
		field, label string
		old, new     int
	}{{"members", "Số thành viên", x.Members, nx.Members}, {"excluded", "Số không tính", x.Excluded, nx.Excluded},
		{"present", "Số có mặt", x.Present, nx.Present}, {"yes", "Số tán thành", x.Yes, nx.Yes}, {"no", "Số không tán thành", x.No, nx.No}} {
		k.change(f.field, f.label, strconv.Itoa(f.old), strconv.Itoa(f.new))
	}
	k.change("passed", "Kết quả", passedName(x.Passed), passedName(nx.Passed))
	if len(k.changes) == 0 {
		return nil
	}
	if err := k.s.store.UpdateVote(k.ctx, &nx); err != nil {
		return err
	}
	return k.voteEffects(x, &nx)
}

// VoteLabel names a recorded vote in Vietnamese: "Chi bộ biểu quyết đề
// nghị kết nạp ngày 04/05/2024", "Quyết định kết nạp số 12-QĐ/HU ngày …".
func VoteLabel(v *domain.CaseVote) string {
	what := domain.PurposeNames[v.Purpose]
	switch v.Level {
	case domain.LevelDecision:
		return "Quyết định " + what + " số " + v.Number + " ngày " + vn.Date(v.Date)
	case domain.LevelSubcommittee:
		return "Đảng ủy bộ phận thẩm định, đề nghị " + what + " ngày " + vn.Date(v.Date)
	}
	return domain.LevelNames[v.Level] + " biểu quyết đề nghị " + what + " ngày " + vn.Date(v.Date)
}

func passedName(ok bool) string {
	if ok {
		return "đạt"
	}
	return "không đạt"
}

// neighbours are the votes of the same purpose recorded just before and
// just after the i-th vote of the case.
func (k *corrector) neighbours(i int) (prev, next *domain.CaseVote) {
	votes, x := k.st.parts.Votes, k.st.parts.Votes[i]
	for j, v := range votes {
		if v.Purpose != x.Purpose || j == i {
			continue
		}
		if j < i {
			prev = v
		} else if next == nil {
			next = v
		}
	}
	return prev, next
}

// voteLadder is the ladder of the vote's round as the correction leaves
// it. A chapter's resolution moved to another date takes the rule set
// (and for admission the deciding body) in force on the new date; when
// steps were already recorded on it, the new date must keep them.
func (k *corrector) voteLadder(x, nx *domain.CaseVote, later bool) (ladder, error) {
	st := k.st
	anchor := nx.Date
	if x.Level != domain.LevelChapter {
		if cv := k.roundChapter(x); cv != nil {
			anchor = cv.Date
		}
	}
	l, err := k.s.ladderOf(k.ctx, k.s.store, st.org, anchor)
	if err != nil {
		return l, err
	}
	if x.Level != domain.LevelChapter || nx.Date.Equal(x.Date) {
		return l, nil
	}
	set := rules.InForce(nx.Date)
	old, err := k.s.ladderOf(k.ctx, k.s.store, st.org, x.Date)
	if err != nil {
		return l, err
	}
	changed := set.ID != x.RulesID || old.Sub != l.Sub || old.Committee != l.Committee || old.Authorised != l.Authorised ||
		(old.Decider == nil) != (l.Decider == nil) || (old.Decider != nil && l.Decider != nil && old.Decider.ID != l.Decider.ID)
	if changed && later {
		return l, domain.FieldError("date", "Ngày %s thuộc quy định hoặc thẩm quyền khác với ngày %s, mà các bước sau đã ghi theo: không đính chính được; hãy rút hồ sơ và lập lại",
			vn.Date(nx.Date), vn.Date(x.Date))
	}
	nx.RulesID = set.ID
	if x.Purpose == domain.PurposeAdmission {
		st.c.RulesID, st.c.Authorised = set.ID, l.Authorised
		if l.Decider != nil {
			st.c.DeciderID = l.Decider.ID
		}
	}
	return l, nil
}

// roundChapter is the chapter's resolution the vote follows (the latest of
// its purpose recorded before it).
func (k *corrector) roundChapter(x *domain.CaseVote) *domain.CaseVote {
	var cv *domain.CaseVote
	for _, v := range k.st.parts.Votes {
		if v.ID == x.ID {
			break
		}
		if v.Purpose == x.Purpose && v.Level == domain.LevelChapter {
			cv = v
		}
	}
	return cv
}

// voteOrder keeps the vote between the facts around it: on the same side
// of every transfer; an admission's chapter resolution after the dossier
// was opened, its documents and the replies to the verification, the
// decision before its receipt and the ceremony; a vote on recognition or
// striking off after the ceremony.
func (k *corrector) voteOrder(nx *domain.CaseVote) error {
	c := k.st.c
	if x := k.voteBefore(nx.ID); x != nil {
		for _, t := range k.st.parts.Transfers {
			if (x.Date.Before(t.Date) && nx.Date.After(t.Date)) || (x.Date.After(t.Date) && nx.Date.Before(t.Date)) {
				return domain.FieldError("date", "Ngày %s đổi thứ tự với lần chuyển sinh hoạt ngày %s: biểu quyết đã ghi ở chi bộ %s",
					vn.Date(nx.Date), vn.Date(t.Date), map[bool]string{true: "nơi đi", false: "nơi đến"}[x.Date.Before(t.Date)])
			}
		}
	}
	if nx.Purpose != domain.PurposeAdmission {
		return notBefore("date", nx.Date, c.CeremonyDate, "ngày lễ kết nạp")
	}
	if nx.Level == domain.LevelChapter {
		if err := notBefore("date", nx.Date, c.DossierOpened, "ngày lập hồ sơ"); err != nil {
			return err
		}
		for _, v := range k.st.parts.Verifications {
			if v.RepliedOn != nil && v.RepliedOn.After(nx.Date) {
				return domain.FieldError("date", "Ngày chi bộ biểu quyết %s trước ngày trả lời thẩm tra (%s): chi bộ xét trên lý lịch đã thẩm tra",
					vn.Date(nx.Date), vn.Date(*v.RepliedOn))
			}
		}
		for _, d := range k.st.parts.Documents {
			if documentKinds[d.Kind] == domain.PurposeAdmission && d.Date.After(nx.Date) {
				return domain.FieldError("date", "Ngày chi bộ biểu quyết %s trước %s (%s)", vn.Date(nx.Date), lowerInitial(domain.DocumentNames[d.Kind]), vn.Date(d.Date))
			}
		}
	}
	if nx.Level == domain.LevelDecision && nx.Passed {
		for _, d := range []*time.Time{c.DecisionReceived, c.CeremonyDate} {
			if d != nil && nx.Date.After(*d) {
				return domain.FieldError("date", "Ngày quyết định %s sau ngày chi bộ nhận quyết định hoặc ngày lễ kết nạp (%s)", vn.Date(nx.Date), vn.Date(*d))
			}
		}
	}
	return nil
}

// voteBefore is the vote with the id as recorded before the correction.
func (k *corrector) voteBefore(id int64) *domain.CaseVote {
	for _, v := range k.st.parts.Votes {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// voteEffects carries a corrected vote to what was written from it: a
// passed admission decision's number and date on the case and the
// membership that progress counts; and notes the terms and conditions to
// judge again.
func (k *corrector) voteEffects(x, nx *domain.CaseVote) error {
	st, c := k.st, k.st.c
	cal, today := st.cal, st.today
	judge := func(v rules.Verdict, err error) error {
		if err != nil {
			return calendarErr("date", err)
		}
		k.verdicts = append(k.verdicts, v)
		return nil
	}
	if nx.Level == domain.LevelDecision && nx.Purpose == domain.PurposeAdmission && nx.Passed {
		if err := k.decider(); err != nil {
			return err
		}
		c.DecisionNo, c.DecisionDate = nx.Number, &nx.Date
		if err := k.s.updateMembership(k.ctx, st, func(m *domain.Membership) { m.DecisionNo, m.DecisionDate = nx.Number, nx.Date }); err != nil {
			return err
		}
		if err := k.ceremonyTimely(); err != nil {
			return err
		}
	} else if nx.Level == domain.LevelDecision {
		if err := k.decider(); err != nil {
			return err
		}
	}
	switch {
	case nx.Purpose == domain.PurposeAdmission:
		cv := k.roundChapter(nx)
		if nx.Level == domain.LevelChapter {
			cv = nx
			k.admission = true
		}
		if cv != nil && c.DecisionDate != nil {
			set := rules.InForce(cv.Date)
			return judge(rules.DecisionTimely(&set, cal, cv.Date, c.DecisionDate, today))
		}
	case nx.Level == domain.LevelChapter && nx.Purpose == domain.PurposeRecognition && c.CeremonyDate != nil:
		set := rules.InForce(nx.Date)
		if nx.Date.Before(rules.ProbationEnd(&set, *c.CeremonyDate)) {
			return domain.FieldError("date", "Ngày %s trước khi hết 12 tháng dự bị (%s) (Điều lệ Đ.5)", vn.Date(nx.Date), vn.Date(rules.ProbationEnd(&set, *c.CeremonyDate)))
		}
		return judge(rules.RecognitionVoteTimely(&set, cal, *c.CeremonyDate, &nx.Date, today))
	case nx.Level == domain.LevelDecision && nx.Purpose == domain.PurposeRecognition && !st.referred():
		if cv := k.roundChapter(nx); cv != nil {
			set := rules.InForce(cv.Date)
			return judge(rules.RecognitionDecisionTimely(&set, cal, cv.Date, &nx.Date, today))
		}
	}
	return nil
}

// decider refuses a correction of a decision to a user whose scope does
// not hold the deciding body.
func (k *corrector) decider() error {
	st := k.st
	if st.c.DeciderID == 0 {
		return nil
	}
	d, err := k.s.store.GetOrg(k.ctx, st.c.DeciderID)
	if err != nil {
		return err
	}
	if !st.me.Sees(d.Path) {
		return domain.Errorf(domain.EForbidden, "Quyết định do %s ghi: phạm vi tài khoản của bạn không gồm cấp ủy này", d.Name)
	}
	return nil
}
