package service

import (
	"cmp"
	"slices"
	"strconv"

	"ketnap/internal/progress"
	"ketnap/internal/store"
)

// The article's two complaints that the breakdowns count beside the make-up
// of the admitted (seed/article: "kết quả … ở địa bàn thôn, buôn, tổ dân
// phố chưa cao", "tỷ lệ học sinh THPT được kết nạp đảng còn rất thấp"): the
// village chapters that admitted nobody, and the high schools together.

// VillageChapter is the chapter of a village, buôn or residential group
// with the admissions of the year at the chapter.
type VillageChapter struct {
	OrgID      int64
	Code, Name string // the chapter
	Place      string // the village, buôn or residential group
	PlaceKind  string // "thon", "buon", "to_dan_pho"
	CommuneID  int64
	Commune    string // its commune or town committee
	Admitted   int
}

// VillageChaptersIdle is the village chapters that admitted nobody in the
// year up to the date, in the order of VillageChapters.
func (b *Breakdowns) VillageChaptersIdle() []VillageChapter {
	var out []VillageChapter
	for _, v := range b.VillageChapters {
		if v.Admitted == 0 {
			out = append(out, v)
		}
	}
	return out
}

// CommuneChapters is one commune's village chapters: how many, and those
// that admitted nobody.
type CommuneChapters struct {
	Commune string
	Total   int
	Idle    []VillageChapter
}

// VillageChaptersByCommune groups the village chapters by commune, in the
// order of VillageChapters.
func (b *Breakdowns) VillageChaptersByCommune() []CommuneChapters {
	var out []CommuneChapters
	at := map[int64]int{}
	for _, v := range b.VillageChapters {
		i, ok := at[v.CommuneID]
		if !ok {
			i = len(out)
			at[v.CommuneID] = i
			out = append(out, CommuneChapters{Commune: v.Commune})
		}
		out[i].Total++
		if v.Admitted == 0 {
			out[i].Idle = append(out[i].Idle, v)
		}
	}
	return out
}

// villageChapters lists the chapters of the residential units (b.Residence)
// that are units of the tree of the report's day, with their admissions
// counted as Progress counts them (at the chapter, in the year up to the
// date), grouped by commune in the tree's order, in the order the units
// were recorded within a commune.
func (b *Breakdowns) villageChapters(a *admitted) error {
	bySex, err := a.by(store.DimSex)
	if err != nil {
		return err
	}
	at := map[int64]int{}
	for _, byOrg := range bySex {
		for id, n := range byOrg {
			at[id] += n
		}
	}
	for _, r := range b.Residence {
		o, ok := a.nodes[r.ChapterID]
		if r.ChapterID == 0 || !ok || !o.kind.IsChapter() {
			continue
		}
		b.VillageChapters = append(b.VillageChapters, VillageChapter{OrgID: r.ChapterID, Code: o.code, Name: o.name, Place: r.Name,
			PlaceKind: r.Kind, CommuneID: r.CommuneID, Commune: r.Commune, Admitted: at[r.ChapterID]})
	}
	// the communes in the tree's order, the chapters in the order recorded
	order := map[int64]string{}
	for _, v := range b.VillageChapters {
		if c, ok := a.nodes[v.CommuneID]; ok {
			order[v.CommuneID] = c.path
		} else {
			order[v.CommuneID] = "~" + strconv.FormatInt(v.CommuneID, 10)
		}
	}
	slices.SortStableFunc(b.VillageChapters, func(x, y VillageChapter) int {
		if x.CommuneID != y.CommuneID {
			return comparePaths(order[x.CommuneID], order[y.CommuneID])
		}
		return cmp.Compare(x.OrgID, y.OrgID)
	})
	return nil
}

// comparePaths orders materialised paths ("/1/117/") by their ids, so
// that /1/9/ comes before /1/10/.
func comparePaths(a, b string) int {
	ai, bi := store.PathIDs(a), store.PathIDs(b)
	for i := 0; i < len(ai) && i < len(bi); i++ {
		if c := cmp.Compare(ai[i], bi[i]); c != 0 {
			return c
		}
	}
	return len(ai) - len(bi)
}

// SchoolTotal is the high schools' line of totals.
type SchoolTotal struct {
	Schools  int
	Students int      // the enrolment of the schools that have one
	Admitted int      // admitted students of every school
	Percent  *float64 // Admitted of the schools with an enrolment / Students × 100
	counted  int      // admitted students of the schools with an enrolment
}

func (t *SchoolTotal) add(l SchoolLine) {
	t.Schools++
	t.Admitted += l.Admitted
	if l.Students > 0 {
		t.Students += l.Students
		t.counted += l.Admitted
	}
	t.Percent = nil
	if p, ok := progress.Percent(t.counted, &t.Students); ok {
		t.Percent = &p
	}
}
