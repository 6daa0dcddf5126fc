package demo

import (
	"time"

	"ketnap/internal/domain"
)

// The tree before and after the reorganisation, as the continuation's plan
// reads it (p.orgs holds the tree before it until applyReorg; reorgMap
// says what the plan does).

// survives reports whether the unit goes on after the reorganisation.
func (l *sequel) survives(i int) bool {
	if _, ok := l.m.chapter[i]; ok {
		return false
	}
	if _, ok := l.m.commune[i]; ok {
		return false
	}
	return i != districtOrg && l.p.orgs[i].to == nil
}

// orgAfter is the unit that carries i after the reorganisation: the
// chapter it is merged into, the new commune of an old commune, itself.
func (l *sequel) orgAfter(i int) int {
	if to, ok := l.m.chapter[i]; ok {
		return to
	}
	if nc, ok := l.m.commune[i]; ok {
		return nc
	}
	return i
}

// orgAt is the unit that carries i on the day.
func (l *sequel) orgAt(i int, on time.Time) int {
	if on.Before(ReorgDay) {
		return i
	}
	return l.orgAfter(i)
}

// parentAfter is the parent of a unit that goes on, after the
// reorganisation (-1: the province).
func (l *sequel) parentAfter(i int) int {
	if np, ok := l.m.moved[i]; ok {
		return np
	}
	parent := l.p.orgs[i].parent
	if nc, ok := l.m.commune[parent]; ok {
		return nc
	}
	return parent
}

// holderBefore is the district's direct unit a unit lies in (itself for
// one of them), -1 for the district itself.
func (l *sequel) holderBefore(i int) int {
	for i >= 0 && l.p.orgs[i].parent != districtOrg {
		i = l.p.orgs[i].parent
	}
	return i
}

// holderAfter is the province's direct unit a unit of the district lies in
// after the reorganisation: a new commune, or an armed forces' committee.
func (l *sequel) holderAfter(i int) int {
	i = l.orgAfter(i)
	for i >= 0 {
		parent := l.parentAfter(i)
		if parent < 0 {
			return i
		}
		i = parent
	}
	return -1
}

// chaptersBefore are the chapters of a direct unit of the district open on
// the seed's date (itself for a chapter).
func (l *sequel) chaptersBefore(h int) []int {
	if l.p.orgs[h].kind.IsChapter() {
		return []int{h}
	}
	var out []int
	for _, c := range l.p.children(h) {
		if l.p.orgs[c].kind.IsChapter() {
			out = append(out, c)
		}
	}
	return out
}

// chaptersAfter are the chapters of a province's direct unit after the
// reorganisation.
func (l *sequel) chaptersAfter(h int) []int {
	var out []int
	for i := range l.p.orgs {
		if l.p.orgs[i].kind.IsChapter() && l.survives(i) && l.parentAfter(i) == h {
			out = append(out, i)
		}
	}
	return out
}

// committeeBefore reports whether a grassroots committee votes between
// the chapter and the district's decision (the seed's authority).
func (l *sequel) committeeBefore(org int) bool { return l.d.committee(org) }

// committeeAfter reports whether one does after the reorganisation: only
// under the armed forces' committees; the chapters under a commune go
// straight to its standing committee (reference §9.2).
func (l *sequel) committeeAfter(org int) bool {
	parent := l.parentAfter(l.orgAfter(org))
	return parent >= 0 && l.p.orgs[parent].grassroots
}

// province is the decider code of the province's standing committee.
const provinceDecider = -1

// deciderOn is the body that decides for the chapter on the day: the
// district before the reorganisation, then the new commune, or the
// province for the armed forces.
func (l *sequel) deciderOn(org int, on time.Time) int {
	if on.Before(ReorgDay) {
		return districtOrg
	}
	h := l.holderAfter(org)
	if l.p.orgs[h].kind == domain.KindCommune {
		return h
	}
	return provinceDecider
}

// deciders' standing committees: members and the decision numbers' suffix.
func (l *sequel) deciderMembers(decider int) int {
	switch {
	case decider == districtOrg:
		return 13
	case decider == provinceDecider:
		return 15
	case l.p.orgs[decider].code == "daklak-vubon" || l.p.orgs[decider].code == "daklak-eauy":
		return 9
	}
	return 11
}

func deciderSuffix(decider int) string {
	switch decider {
	case districtOrg:
		return "QĐ/HU"
	case provinceDecider:
		return "QĐ/TU"
	}
	return "QĐ/ĐU"
}
