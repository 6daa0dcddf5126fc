package rules

import (
	"fmt"
	"strings"
	"time"
)

// Sponsor is the helper or an introducer of a candidate, as the
// same-chapter rule sees them.
type Sponsor struct {
	Name      string
	Helper    bool   // the helper (người giúp đỡ); else an introducer
	InChapter bool   // an official member of the candidate's chapter on the day
	Unit      string // the unit the member belongs to, for the message
}

func (p Sponsor) role() string {
	if p.Helper {
		return "người giúp đỡ"
	}
	return "người giới thiệu"
}

// SameChapter judges the helper and the introducers of a candidate of
// chapter: official members of the candidate's own chapter on the day on.
// The introducer works, studies or lives with the candidate "in the same
// unit" (Điều lệ Đ.4 k.2, QĐ294 §3.1–3.2; admission-rules.md §4.1), and
// the chapter assigns one of its official members to help (HD38 I.1.1d).
// Where the texts foresee otherwise an exception records it (Waiver): a
// place without members, where the chapter the committee assigns provides
// the helper (QĐ294 §3.4.1); a candidate who moved, whose new chapter
// assigns the helper (HD06 §3.9a). Being an official member is judged
// with the introducers (Introducers) and when the member is chosen.
func SameChapter(s *Set, chapter string, on time.Time, sponsors []Sponsor) (v Verdict) {
	defer s.mark(&v)
	src := s.Introducers.ChapterSource
	var out []string
	helper, introducers := false, 0
	for _, p := range sponsors {
		if p.Helper {
			helper = true
		} else {
			introducers++
		}
		if !p.InChapter {
			out = append(out, fmt.Sprintf("%s (%s) sinh hoạt ở %s", p.Name, p.role(), p.Unit))
		}
	}
	if len(out) > 0 {
		w, _ := s.Waiver(RuleSameChapter)
		return failing(RuleSameChapter, src, "%s, không phải đảng viên chính thức của %s (nơi người vào Đảng sinh hoạt) ngày %s; chi bộ phân công đảng viên chính thức của chi bộ, hoặc cán bộ tổ chức ghi ngoại lệ nêu căn cứ (%s)",
			sentence(out), chapter, dmy(on), w.Source)
	}
	var who []string
	if helper {
		who = append(who, "người giúp đỡ")
	}
	if introducers > 0 {
		who = append(who, fmt.Sprintf("%d người giới thiệu", introducers))
	}
	return pass(RuleSameChapter, src, "%s là đảng viên chính thức của %s (nơi người vào Đảng sinh hoạt) ngày %s",
		sentence([]string{strings.Join(who, " và ")}), chapter, dmy(on))
}
