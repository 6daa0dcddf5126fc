package rules

import "slices"

// Waiver says whether an authorised user may record an exception that
// lets a failing rule pass on a case (DOMAIN §5), and the legal source of
// that answer.
//
// The line the sets draw follows QĐ294 §4.4 (admission-rules.md §4.3
// "wrong admissions"): an admission that breaks a standard or condition of
// the person (Điều lệ Đ.1: age, political standard, an ineligible
// re-admission) is cancelled and the person struck off, so no exception
// can make it lawful; a flaw of procedure or timing is corrected and the
// admission stands, and where the texts foresee a departure (a late
// ceremony with the upper committee's consent, an introducer or a
// candidate who moves) the exception records it. Vote thresholds are not
// waived either: a resolution that misses its threshold is not one.
type Waiver struct {
	Rule    string
	Allowed bool
	Source  string // the legal source of the answer
	Note    string // why, in Vietnamese; for an allowed waiver, the cases the texts foresee
}

// Besides the rules of the dossier check and of recognition and
// re-admission, the procedure judges these on a case. The documents and the sub-committee's review are
// judged by the service (it holds the dossier); the same-chapter rule by
// SameChapter.
const (
	RuleDocuments            = "documents"
	RuleRecognitionDocuments = "recognition_documents"
	RuleSubcommitteeReview   = "subcommittee_review"
	RuleSameChapter          = "same_chapter"
)

// procedural is the note of a rule of procedure without a departure of its
// own in the texts.
const procedural = "quy định về thủ tục, không phải tiêu chuẩn, điều kiện của người vào Đảng: sai thủ tục thì sửa thủ tục, không hủy tư cách; ngoại lệ do cán bộ tổ chức ghi, nêu rõ văn bản cho phép của cấp có thẩm quyền (số, ngày)"

// voteNote is the note of a vote threshold.
const voteNote = "nghị quyết, quyết định chỉ có giá trị khi đạt tỷ lệ biểu quyết; kết quả biểu quyết không có ngoại lệ"

// waivers is the waiver table of a national set: q names the regulation
// ("QĐ294", "QĐ24"), hd the guidance's point ("HD06 §3.9a", or "HD01"
// for the 2021 guidance, whose points are not numbered here).
func waivers(q string, hd func(point string) string) []Waiver {
	wrong := q + " §4.4"
	return []Waiver{
		{RuleAge, false, "Điều lệ Đ.1 k.2; " + q + " §1.1, §4.4",
			"tuổi đời là điều kiện của người vào Đảng (đủ 18 tuổi tại ngày chi bộ xét): kết nạp sai điều kiện thì quyết định kết nạp bị hủy bỏ; người trên 60 tuổi chỉ được xét khi có văn bản đồng ý của Ban Thường vụ tỉnh ủy (ghi văn bản đồng ý, không ghi ngoại lệ)"},
		{RuleEducation, true, q + " §1.2; " + hd("§1.2") + "; " + wrong,
			"ngoài ngoại lệ cho vùng khó khăn và già làng, trưởng bản, người có uy tín (có văn bản đồng ý của Ban Thường vụ tỉnh ủy), trường hợp khác nêu rõ văn bản cho phép của cấp có thẩm quyền"},
		{RuleIntroducers, true, q + " §3.2.2; " + hd("§3.9a"),
			"người giới thiệu chuyển đi, bị kỷ luật hoặc không thể tiếp tục giới thiệu, hoặc người vào Đảng chuyển nơi: chi bộ phân công đảng viên chính thức khác, miễn điều kiện 12 tháng"},
		{RuleSameChapter, true, q + " §3.2.2, §3.4.1; " + hd("§3.9a") + "; HD38 I.1.2",
			"nơi chưa có đảng viên, chưa có chi bộ: chi bộ được cấp ủy giao cử đảng viên giúp đỡ (" + q + " §3.4.1); người vào Đảng chuyển nơi: chi bộ nơi đến phân công người giúp đỡ (" + hd("§3.9a") + "); người giới thiệu chuyển đi (" + q + " §3.2.2)"},
		{RuleCertificate, true, hd("§5.4b") + "; " + wrong, procedural},
		{RuleDossierAge, true, hd("§5.4a") + "; " + wrong, procedural},
		{RuleDocuments, true, hd("§3.4") + "; " + wrong,
			"miễn, giản lược thẩm tra lý lịch trong các trường hợp hướng dẫn quy định; trường hợp khác: " + procedural},
		{RuleChapterVote, false, "Điều lệ Đ.4; " + q + " §9.3", voteNote},
		{RuleSubcommitteeReview, false, hd("§3.6b") + "; " + q + " §9.3", voteNote},
		{RuleCommitteeVote, false, hd("§3.6c") + "; " + q + " §9.3", voteNote},
		{RuleDecisionVote, false, hd("§3.7a") + "; " + q + " §4.3.2, §9.3", voteNote},
		{RuleConsent, true, hd("§1.1, §1.2, §3.7c") + "; " + q + " §3.5",
			"văn bản đồng ý của Ban Thường vụ tỉnh ủy phải có trước khi ra quyết định kết nạp; ngoại lệ nêu rõ văn bản của cấp có thẩm quyền (số, ngày)"},
		{RuleDecisionDeadline, true, q + " §4.3.1",
			"quá hạn vẫn ra quyết định và thông báo cho chi bộ; quá hạn không có lý do chính đáng thì cấp ủy kiểm điểm trách nhiệm trước cấp ủy cấp trên"},
		{RuleCeremonyDeadline, true, q + " §4.1",
			"tổ chức lễ kết nạp chậm khi đã báo cáo và được cấp ủy cấp trên trực tiếp đồng ý"},
		{RuleRecognitionVote, true, q + " §4.2.2",
			"chi bộ xét chậm: nếu đủ tư cách, đảng viên vẫn được công nhận chính thức từ ngày hết 12 tháng dự bị"},
		{RuleRecognitionDecision, true, q + " §4.3.1",
			"quá hạn vẫn ra quyết định công nhận; quá hạn không có lý do chính đáng thì cấp ủy kiểm điểm trách nhiệm"},
		{RuleRecognitionDocuments, true, hd("§4") + "; " + wrong, procedural},
		{RuleReadmissionGround, false, q + " §3.5, §4.4",
			"không xem xét kết nạp lại người đã ra khỏi Đảng vì các lý do này; kết nạp lại người không đủ điều kiện thì quyết định bị hủy bỏ"},
		{RuleReadmissionWait, true, q + " §3.5",
			"thời gian chờ theo quy định; trường hợp vi phạm chính sách dân số và kế hoạch hóa gia đình thực hiện theo quy định riêng của Ban Bí thư"},
		{RuleReadmissionOnce, false, q + " §3.5, §4.4",
			"chỉ xem xét kết nạp lại một lần; kết nạp lại lần thứ hai là sai điều kiện, quyết định bị hủy bỏ"},
	}
}

// Waiver returns the set's answer for a rule; ok is false for a rule the
// set does not know (which no exception waives).
func (s *Set) Waiver(rule string) (w Waiver, ok bool) {
	i := slices.IndexFunc(s.Waivers, func(w Waiver) bool { return w.Rule == rule })
	if i < 0 {
		return Waiver{Rule: rule}, false
	}
	return s.Waivers[i], true
}

// Waivable reports whether an exception may let the rule pass.
func (s *Set) Waivable(rule string) bool {
	w, _ := s.Waiver(rule)
	return w.Allowed
}

// Exceptable lists the rules an exception may let pass, in the set's order.
func (s *Set) Exceptable() []string {
	var out []string
	for _, w := range s.Waivers {
		if w.Allowed {
			out = append(out, w.Rule)
		}
	}
	return out
}

// Mark gives a verdict the set's answer on waiving its rule.
func (s *Set) Mark(v Verdict) Verdict {
	w, _ := s.Waiver(v.Rule)
	v.Waivable, v.WaiverSource = w.Allowed, w.Source
	return v
}

// markAll marks every verdict of vs in place and returns vs.
func (s *Set) markAll(vs []Verdict) []Verdict {
	for i := range vs {
		vs[i] = s.Mark(vs[i])
	}
	return vs
}

// mark marks *v in place; judging functions defer it on their result.
func (s *Set) mark(v *Verdict) { *v = s.Mark(*v) }

// markErr marks a verdict that comes with an error.
func (s *Set) markErr(v Verdict, err error) (Verdict, error) { return s.Mark(v), err }
