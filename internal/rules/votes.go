package rules

import "fmt"

// Vote is the count of one vote: the members of the body, those who do not
// count in the denominator, and the yes votes.
type Vote struct {
	Members  int // official members of the chapter, or members of the committee
	Excluded int // on temporary transfer, exempted and absent, suspended, prosecuted
	Yes      int
}

// Purpose is what a vote proposes; the thresholds are the same for all
// three (QĐ294 §9.3.4), the words and sources differ.
type Purpose int

// The purposes of the vote ladder.
const (
	Admission   Purpose = iota // đề nghị kết nạp
	Recognition                // đề nghị công nhận đảng viên chính thức
	StrikeOff                  // đề nghị xóa tên đảng viên dự bị
)

func (p Purpose) text() string {
	switch p {
	case Recognition:
		return "công nhận đảng viên chính thức"
	case StrikeOff:
		return "xóa tên đảng viên dự bị"
	}
	return "kết nạp"
}

func (p Purpose) source(s *Set, base string) string {
	if p == StrikeOff {
		return base + "; " + s.StrikeOffSource
	}
	return base
}

// voteVerdict judges yes out of denom against the rule; body names the
// voters ("đảng viên chính thức"), basis says how the denominator was
// formed, remedy is what to do when the threshold is missed.
func voteVerdict(rule string, r VoteRule, src, who, body string, yes, denom int, basis, remedy string) Verdict {
	if denom <= 0 {
		return failing(rule, src, "%s: không có %s nào được tính vào mẫu số; kiểm tra lại số liệu", who, body)
	}
	need := r.Needed(denom)
	if r.Met(yes, denom) {
		return pass(rule, src, "%s: %d/%d %s%s tán thành, đạt %s (cần %d phiếu)", who, yes, denom, body, basis, r.Fraction, need)
	}
	return failing(rule, src, "%s: %d/%d %s%s tán thành, chưa đạt %s (cần %d phiếu); %s", who, yes, denom, body, basis, r.Fraction, need, remedy)
}

// excludedBasis explains a denominator reduced by excluded members.
func excludedBasis(v Vote, body string) string {
	if v.Excluded == 0 {
		return ""
	}
	return fmt.Sprintf(" được tính (tổng số %d %s, %d người không tính vào mẫu số)", v.Members, body, v.Excluded)
}

// ChapterVote judges the chapter's resolution: ≥ 2/3 of the official
// members that count; members on temporary transfer, exempted and absent,
// suspended or prosecuted are out of the denominator (Điều lệ Đ.4,
// HD06 §3.6b, QĐ294 §9.3.2). Below the threshold the full result is still
// reported to the competent committee (HD06 §5.1).
func ChapterVote(s *Set, v Vote, p Purpose) Verdict {
	const body = "đảng viên chính thức"
	return s.Mark(voteVerdict(RuleChapterVote, s.ChapterVote, p.source(s, s.ChapterVote.Source),
		"Chi bộ biểu quyết đề nghị "+p.text(), body, v.Yes, v.Members-v.Excluded, excludedBasis(v, body),
		"vẫn phải báo cáo đầy đủ kết quả biểu quyết lên cấp ủy có thẩm quyền để xem xét"))
}

// CommitteeVote judges the grassroots committee's resolution: ≥ 2/3 of its
// members that count (HD06 §3.6c, QĐ294 §9.3.3).
func CommitteeVote(s *Set, v Vote, p Purpose) Verdict {
	const body = "cấp ủy viên"
	return s.Mark(voteVerdict(RuleCommitteeVote, s.Committee, p.source(s, s.Committee.Source),
		"Đảng ủy cơ sở biểu quyết đề nghị "+p.text(), body, v.Yes, v.Members-v.Excluded, excludedBasis(v, body),
		"báo cáo đầy đủ kết quả biểu quyết lên cấp ủy có thẩm quyền để xem xét"))
}

// DecisionVote judges the decision: > 1/2 of the standing committee's
// members that count (HD06 §3.7a, QĐ294 §9.3.4), or, for a grassroots
// committee authorised to admit, ≥ 2/3 of all its members, nobody taken out
// of the denominator (HD06 §3.7a; for striking off, HD06 §4.6d says of the
// sitting members, which Members is).
func DecisionVote(s *Set, v Vote, authorised bool, p Purpose) (out Verdict) {
	defer s.mark(&out)
	if authorised {
		basis := ""
		if v.Excluded > 0 {
			basis = fmt.Sprintf(" (mẫu số là tổng số cấp ủy viên, kể cả %d người vắng hoặc không tham gia)", v.Excluded)
		}
		return voteVerdict(RuleDecisionVote, s.AuthorisedGC, p.source(s, s.AuthorisedGC.Source),
			"Tập thể đảng ủy cơ sở được ủy quyền quyết định "+p.text(), "cấp ủy viên", v.Yes, v.Members, basis,
			"chưa đủ điều kiện ra quyết định; thông báo kết quả cho chi bộ")
	}
	const body = "ủy viên ban thường vụ"
	return voteVerdict(RuleDecisionVote, s.Decision, p.source(s, s.Decision.Source),
		"Ban Thường vụ cấp ủy có thẩm quyền quyết định "+p.text(), body, v.Yes, v.Members-v.Excluded, excludedBasis(v, body),
		"chưa đủ điều kiện ra quyết định; thông báo kết quả cho chi bộ")
}

// StrikeOffLadder judges the votes to strike off a probationary member:
// the same ladder as admission (Điều lệ Đ.5, QĐ294 §4.2.1, HD06 §4.6).
// A nil vote is one not yet held and is left out; committee is nil where no
// grassroots committee step exists.
func StrikeOffLadder(s *Set, chapter, committee, decision *Vote, authorised bool) []Verdict {
	var out []Verdict
	if chapter != nil {
		out = append(out, ChapterVote(s, *chapter, StrikeOff))
	}
	if committee != nil {
		out = append(out, CommitteeVote(s, *committee, StrikeOff))
	}
	if decision != nil {
		out = append(out, DecisionVote(s, *decision, authorised, StrikeOff))
	}
	return out
}
