package rules

import "testing"

// Vote thresholds with their denominators, in integers.
func TestChapterVote(t *testing.T) {
	const src = "Điều lệ Đ.4; HD06 §3.6b; QĐ294 §9.3.2"
	for _, c := range []struct {
		name string
		v    Vote
		ok   bool
		want string
	}{
		{"Điều lệ Đ.4: exactly 2/3, 8 of 12", Vote{12, 0, 8}, true, "8/12 đảng viên chính thức tán thành, đạt ít nhất 2/3 (cần 8 phiếu)"},
		{"Điều lệ Đ.4: 7 of 12", Vote{12, 0, 7}, false, "chưa đạt ít nhất 2/3 (cần 8 phiếu)"},
		{"QĐ294 §9.3.2: 7 of 11 counting (12 − 1 excluded) fails: 21 < 22", Vote{12, 1, 7}, false, "7/11 đảng viên chính thức được tính (tổng số 12 đảng viên chính thức, 1 người không tính vào mẫu số)"},
		{"QĐ294 §9.3.2: 8 of 11 counting passes (the CONTRACT example)", Vote{12, 1, 8}, true, "8/11"},
		{"QĐ294 §9.3.2: excluded members make 6 of 9 enough", Vote{12, 3, 6}, true, "6/9"},
		{"QĐ294 §9.3.2: without the exclusion 6 of 12 would fail", Vote{12, 0, 6}, false, "6/12"},
		{"Điều lệ Đ.4: 2 of 3, the smallest chapter", Vote{3, 0, 2}, true, "2/3"},
		{"HD06 §5.1: a failed vote is still reported", Vote{9, 0, 5}, false, "vẫn phải báo cáo đầy đủ kết quả biểu quyết"},
		{"nobody counts", Vote{2, 2, 0}, false, "không có đảng viên chính thức nào được tính vào mẫu số"},
	} {
		checkVerdict(t, c.name, ChapterVote(&s2025, c.v, Admission), RuleChapterVote, c.ok, src, c.want)
	}
}

func TestCommitteeAndDecisionVotes(t *testing.T) {
	for _, c := range []struct {
		name       string
		v          Vote
		decision   bool
		authorised bool
		ok         bool
		want       string
	}{
		{"HD06 §3.6c: committee 6 of 9", Vote{9, 0, 6}, false, false, true, "6/9 cấp ủy viên tán thành, đạt ít nhất 2/3"},
		{"HD06 §3.6c: committee 5 of 9", Vote{9, 0, 5}, false, false, false, "cần 6 phiếu"},
		{"QĐ294 §9.3.3: committee 5 of 9 with 2 excluded (5 of 7 ≥ 2/3)", Vote{9, 2, 5}, false, false, true, "5/7 cấp ủy viên được tính"},
		{"HD06 §3.7a: standing committee 3 of 5", Vote{5, 0, 3}, true, false, true, "đạt quá 1/2 (cần 3 phiếu)"},
		{"HD06 §3.7a: standing committee exactly half, 2 of 4", Vote{4, 0, 2}, true, false, false, "chưa đạt quá 1/2 (cần 3 phiếu)"},
		{"QĐ294 §9.3.3: standing committee 3 of 6 with 1 excluded (3 of 5)", Vote{6, 1, 3}, true, false, true, "3/5"},
		{"HD06 §3.7a: authorised grassroots committee 6 of 9", Vote{9, 0, 6}, true, true, true, "6/9 cấp ủy viên tán thành, đạt ít nhất 2/3"},
		{"HD06 §3.7a: authorised, all members count even when excluded: 5 of 9", Vote{9, 2, 5}, true, true, false, "kể cả 2 người vắng"},
		{"HD06 §3.7a: authorised 5 of 8 is not 2/3 (15 < 16)", Vote{8, 0, 5}, true, true, false, "cần 6 phiếu"},
	} {
		var v Verdict
		rule := RuleCommitteeVote
		if c.decision {
			v, rule = DecisionVote(&s2025, c.v, c.authorised, Admission), RuleDecisionVote
		} else {
			v = CommitteeVote(&s2025, c.v, Admission)
		}
		checkVerdict(t, c.name, v, rule, c.ok, "", c.want)
	}
	if v := DecisionVote(&s2025, Vote{9, 0, 6}, true, Admission); v.Source != "HD06 §3.7a; QĐ294 §4.3.2a" {
		t.Errorf("authorised source %q", v.Source)
	}
}

// Striking off a probationary member goes by the same ladder (Điều lệ Đ.5;
// QĐ294 §4.2.1; HD06 §4.6).
func TestStrikeOffLadder(t *testing.T) {
	vs := StrikeOffLadder(&s2025, &Vote{12, 0, 8}, nil, &Vote{5, 0, 2}, false)
	if len(vs) != 2 {
		t.Fatalf("ladder %v", vs)
	}
	checkVerdict(t, "chapter", vs[0], RuleChapterVote, true, "Điều lệ Đ.4; HD06 §3.6b; QĐ294 §9.3.2; Điều lệ Đ.5; QĐ294 §4.2.1; HD06 §4.6", "xóa tên đảng viên dự bị")
	checkVerdict(t, "decision", vs[1], RuleDecisionVote, false, "", "quyết định xóa tên", "chưa đạt quá 1/2")
	if vs := StrikeOffLadder(&s2025, nil, &Vote{9, 0, 6}, &Vote{9, 0, 6}, true); len(vs) != 2 || !vs[0].OK || !vs[1].OK {
		t.Errorf("authorised ladder %v", vs)
	}
	if v := ChapterVote(&s2025, Vote{12, 0, 8}, Recognition); v.Message[:len("Chi bộ biểu quyết đề nghị công nhận")] != "Chi bộ biểu quyết đề nghị công nhận" {
		t.Errorf("recognition wording %q", v.Message)
	}
}
