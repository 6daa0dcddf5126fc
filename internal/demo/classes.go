package demo

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// Training classes of the demo district (DOMAIN §9; the article: "2 lớp
// bồi dưỡng lý luận chính trị cho 115 đảng viên mới và 4 lớp bồi dưỡng
// nhận thức về Đảng cho 350 quần chúng ưu tú" since January 2024):
//
//   - 2024: four awareness classes (Jan, Mar, Apr, late Apr) with 350
//     sources of the pool, each class serving a quarter of the district's
//     units, with attendance, results, retakes and certificates; two
//     new-member classes (Mar, Apr) with 115 probationary members;
//   - 2023: three awareness classes whose certificates the 57 admitted of
//     2024 and most candidates hold;
//   - 2019: one class whose certificates six stalled candidates hold,
//     lapsing at the end of May 2024 (60 months);
//   - the day each source entered the pool; the sources of a few chapters
//     were never sent to a class (the article's complaint), and some
//     entered the pool too recently.
//
// It draws from its own generator so that the rest of the demo stays as it was.

const classSeed1, classSeed2 = 20240504, 350115

// Figures of the article.
const (
	awareness2024Learners = 350
	newMember2024Learners = 115
)

const (
	centre      = "Trung tâm Chính trị huyện Krông Pắc"
	centrePlace = "Hội trường Trung tâm Chính trị huyện Krông Pắc, thị trấn Phước An"
	lecturers   = "Giảng viên Trung tâm Chính trị huyện; báo cáo viên Ban Tuyên giáo Huyện ủy"
)

// districtOrg is the index of the district committee in p.orgs: the
// classes' organiser, and the unit every class but the 2024 awareness
// classes serves.
const districtOrg = 0

// classPlan is one demo class with its schedule and learners (indexes in p.people).
type classPlan struct {
	code, name string
	programme  string
	sessions   []time.Time
	completed  time.Time // completion decision
	certified  time.Time // certificates issued
	units      []int     // org indexes it serves
	learners   []int
	results    bool // draw varied results (else everyone passes)

	// The classes after the seed's (later_classes.go): the organising unit
	// (org index; the district by default) and its centre, and the learners
	// who pass whatever the draw (they go on to admission).
	org                         int
	organiser, place, lecturers string
	mustPass                    map[int]bool
	recorded                    time.Time // when the class was recorded (8:00 on AsOf when zero)
}

func days(y int, m time.Month, ds ...int) []time.Time {
	out := make([]time.Time, len(ds))
	for i, d := range ds {
		out[i] = domain.Day(y, m, d)
	}
	return out
}

// writeClasses creates the demo's classes, learners, results, certificates
// and pool dates inside the demo's transaction (after the people).
func (p *plan) writeClasses(ctx context.Context, tx *store.Store) error {
	r := rand.New(rand.NewPCG(classSeed1, classSeed2))
	pp := p.classPeople()
	classes := pastClasses(pp)
	groups, group := p.unitGroups()
	aw := awarenessClasses2024(groups)
	classes = append(classes, aw[:]...)
	if err := p.sendToAwareness(ctx, tx, r, pp, aw, group); err != nil {
		return err
	}
	nm, err := p.newMemberClasses2024(pp.probation)
	if err != nil {
		return err
	}
	classes = append(classes, nm...)
	for _, c := range classes {
		if err := p.writeClass(ctx, tx, r, c); err != nil {
			return err
		}
	}
	return nil
}

// classPeople are the people the demo's classes take their learners from
// (indexes in p.people).
type classPeople struct {
	sources, candidates []int
	probation           []int // probationary members admitted with a ceremony
	admitted2024        []int // members admitted in 2024, by decision date
	admitted1921        []int // members admitted from July 2019 to 2021
}

// classPeople sorts the people into the groups the classes draw from.
func (p *plan) classPeople() classPeople {
	var pp classPeople
	for i := range p.people {
		x := &p.people[i]
		switch {
		case x.stage == domain.StageSource:
			pp.sources = append(pp.sources, i)
		case x.stage == domain.StageCandidate:
			pp.candidates = append(pp.candidates, i)
		case x.m != nil && x.m.date.Year() == 2024:
			pp.admitted2024 = append(pp.admitted2024, i)
		case x.m != nil && x.m.date.After(domain.Day(2019, 6, 30)) && x.m.date.Before(domain.Day(2022, 1, 1)):
			pp.admitted1921 = append(pp.admitted1921, i)
		}
		if x.stage == domain.StageProbationary && x.m != nil && x.m.ceremony != nil {
			pp.probation = append(pp.probation, i)
		}
	}
	slices.SortStableFunc(pp.admitted2024, func(a, b int) int { return p.people[a].m.date.Compare(p.people[b].m.date) })
	return pp
}

// pastClasses are the awareness classes before 2024: one in 2019 for six
// candidates (stalled since) and 24 members admitted 2019–2021; three in
// 2023 for the admitted of 2024 and the other candidates.
func pastClasses(pp classPeople) []*classPlan {
	classes := []*classPlan{{code: "NT-2019-02", name: "Lớp bồi dưỡng nhận thức về Đảng, khóa 2 năm 2019", programme: domain.ProgAwareness,
		sessions: days(2019, 5, 13, 14, 15, 16), completed: domain.Day(2019, 5, 20), certified: domain.Day(2019, 5, 27),
		units: []int{districtOrg}, learners: slices.Concat(pp.candidates[:6], pp.admitted1921[:24])}}
	pool2023 := slices.Concat(pp.admitted2024, pp.candidates[6:])
	for k, s := range [][]time.Time{days(2023, 3, 13, 14, 15, 16), days(2023, 6, 12, 13, 14, 15), days(2023, 9, 11, 12, 13, 14)} {
		lo, hi := k*len(pool2023)/3, (k+1)*len(pool2023)/3
		last := s[len(s)-1]
		classes = append(classes, &classPlan{code: fmt.Sprintf("NT-2023-%02d", k+1),
			name: fmt.Sprintf("Lớp bồi dưỡng nhận thức về Đảng, khóa %d năm 2023", k+1), programme: domain.ProgAwareness,
			sessions: s, completed: last.AddDate(0, 0, 4), certified: last.AddDate(0, 0, 12), units: []int{districtOrg},
			learners: pool2023[lo:hi]})
	}
	return classes
}

// unitGroups deals the district's open top-level units into four groups,
// one for each 2024 awareness class, and maps every org index to the
// group of its top-level unit.
func (p *plan) unitGroups() (groups [4][]int, group map[int]int) {
	n := 0
	for i := range p.orgs {
		if p.orgs[i].parent == districtOrg && p.orgs[i].to == nil {
			groups[n%4] = append(groups[n%4], i)
			n++
		}
	}
	group = map[int]int{}
	for i := range p.orgs {
		top := i
		for top >= 0 && p.orgs[top].parent != districtOrg {
			top = p.orgs[top].parent
		}
		for g := range groups {
			if top >= 0 && slices.Contains(groups[g], top) {
				group[i] = g
			}
		}
	}
	return groups, group
}

// awarenessClasses2024 are the four awareness classes of 2024 (Jan, Mar,
// Apr, late Apr), each serving a group of units, without learners yet.
func awarenessClasses2024(groups [4][]int) [4]*classPlan {
	starts := [][]time.Time{days(2024, 1, 15, 16, 17, 18), days(2024, 3, 4, 5, 6, 7), days(2024, 4, 1, 2, 3, 4), days(2024, 4, 22, 23, 24, 25)}
	var aw [4]*classPlan
	for k, s := range starts {
		last := s[len(s)-1]
		done := last.AddDate(0, 0, 4)
		if k == 3 {
			done = domain.Day(2024, 4, 26)
		}
		aw[k] = &classPlan{code: fmt.Sprintf("NT-2024-%02d", k+1), name: fmt.Sprintf("Lớp bồi dưỡng nhận thức về Đảng, khóa %d năm 2024", k+1),
			programme: domain.ProgAwareness, sessions: s, completed: done, certified: done.AddDate(0, 0, 7), units: groups[k], results: true}
	}
	return aw
}

// sendToAwareness draws the day each source and candidate entered the
// pool, sends the article's 350 sources to the 2024 awareness classes
// (each to the class of its unit's group; none from the chapters that
// never send theirs, none selected within two weeks of the class) and
// records the pool dates.
func (p *plan) sendToAwareness(ctx context.Context, tx *store.Store, r *rand.Rand, pp classPeople, aw [4]*classPlan, group map[int]int) error {
	since, err := p.poolDates(r, pp.sources, pp.candidates)
	if err != nil {
		return err
	}
	chapters, order, lazy := p.lazyChapters(r, pp.sources)
	var sent []int
	for _, i := range pp.sources {
		x := &p.people[i]
		if !lazy[x.org] && since[i].Before(aw[group[x.org]].sessions[0].AddDate(0, 0, -14)) {
			sent = append(sent, i)
		}
	}
	// Exactly the article's 350: the most recently selected wait for the
	// next class; when too few, the pool grows by the missing sources.
	slices.SortStableFunc(sent, func(a, b int) int { return since[a].Compare(since[b]) })
	if len(sent) > awareness2024Learners {
		sent = sent[:awareness2024Learners]
	}
	for len(sent) < awareness2024Learners {
		i, err := p.addSource(ctx, tx, r, chapters, lazy, order)
		if err != nil {
			return err
		}
		since[i] = domain.Day(2023, 6, 1).AddDate(0, 0, r.IntN(150))
		sent = append(sent, i)
	}
	for _, i := range sent {
		g := group[p.people[i].org]
		aw[g].learners = append(aw[g].learners, i)
	}
	for _, i := range slices.Sorted(maps.Keys(since)) {
		if err := tx.SetSourceSince(ctx, p.people[i].id, since[i]); err != nil {
			return err
		}
	}
	p.poolSince, p.lazy = since, lazy
	return nil
}

// lazyChapters groups the sources by chapter (org index → people indexes,
// the chapters in a drawn order) and draws the chapters whose sources are
// never sent to a class: small ones, until they hold 30.
func (p *plan) lazyChapters(r *rand.Rand, sources []int) (chapters map[int][]int, order []int, lazy map[int]bool) {
	chapters = map[int][]int{}
	for _, i := range sources {
		o := p.people[i].org
		if chapters[o] == nil {
			order = append(order, o)
		}
		chapters[o] = append(chapters[o], i)
	}
	r.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
	lazy, held := map[int]bool{}, 0
	for _, o := range order {
		if held >= 30 {
			break
		}
		if len(chapters[o]) <= 8 {
			lazy[o], held = true, held+len(chapters[o])
		}
	}
	return chapters, order, lazy
}

// newMemberClasses2024 are the two new-member classes of 2024 (Mar, Apr)
// with the 115 most recently admitted probationary members whose ceremony
// came before the second class: the first class takes up to 60 of those
// whose ceremony came before it.
func (p *plan) newMemberClasses2024(probation []int) ([]*classPlan, error) {
	nm := []*classPlan{
		{code: "DVM-2024-01", name: "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, khóa 1 năm 2024", programme: domain.ProgNewMember,
			sessions: days(2024, 3, 11, 12, 13, 14, 15, 18), completed: domain.Day(2024, 3, 22), certified: domain.Day(2024, 4, 2),
			units: []int{districtOrg}, results: true},
		{code: "DVM-2024-02", name: "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới, khóa 2 năm 2024", programme: domain.ProgNewMember,
			sessions: days(2024, 4, 15, 16, 17, 19, 22, 23), completed: domain.Day(2024, 4, 26), certified: domain.Day(2024, 5, 3),
			units: []int{districtOrg}, results: true},
	}
	var ready []int
	for _, i := range probation {
		if p.people[i].m.ceremony.Before(nm[1].sessions[0]) {
			ready = append(ready, i)
		}
	}
	slices.SortStableFunc(ready, func(a, b int) int { return p.people[a].m.ceremony.Compare(*p.people[b].m.ceremony) })
	if len(ready) < newMember2024Learners {
		return nil, fmt.Errorf("demo: %d probationary members for %d places", len(ready), newMember2024Learners)
	}
	for _, i := range ready[len(ready)-newMember2024Learners:] {
		k := 1
		if p.people[i].m.ceremony.Before(nm[0].sessions[0]) && len(nm[0].learners) < 60 {
			k = 0
		}
		nm[k].learners = append(nm[k].learners, i)
	}
	return nm, nil
}

// poolDates draws the day each source and candidate entered the pool:
// sources mostly in the eighteen months before the demo's date, one in
// eight in 2024; candidates before their class.
func (p *plan) poolDates(r *rand.Rand, sources, candidates []int) (map[int]time.Time, error) {
	since := map[int]time.Time{}
	for _, i := range sources {
		if r.IntN(8) == 0 {
			since[i] = p.dayInR(r, domain.Day(2024, 1, 2), domain.Day(2024, 4, 26))
		} else {
			since[i] = p.dayInR(r, domain.Day(2022, 11, 1), domain.Day(2023, 12, 29))
		}
	}
	for k, i := range candidates {
		hi := domain.Day(2022, 12, 30)
		if k < 6 {
			hi = domain.Day(2019, 3, 29)
		}
		since[i] = p.dayInR(r, hi.AddDate(-1, 0, 0), hi)
	}
	return since, nil
}

func (p *plan) dayInR(r *rand.Rand, lo, hi time.Time) time.Time {
	return weekday(lo.AddDate(0, 0, r.IntN(int(hi.Sub(lo).Hours()/24)+1)))
}

// addSource creates one more source in a chapter that sends its sources,
// for the article's count, and returns its index in p.people.
func (p *plan) addSource(ctx context.Context, tx *store.Store, r *rand.Rand, chapters map[int][]int, lazy map[int]bool, order []int) (int, error) {
	var o int
	for {
		o = order[r.IntN(len(order))]
		if !lazy[o] {
			break
		}
	}
	age := 18 + min(r.IntN(28), r.IntN(28))
	x := p.newPerson(o, p.bornAged(AsOf, age, age), domain.StageSource)
	if x.education == "none" || x.education == "literate" {
		x.education = "primary"
	}
	d := &domain.Person{FullName: x.name, BirthDate: x.birth, Sex: domain.Male, Ethnicity: x.eth, Religion: x.religion,
		Education: x.education, Occupation: x.occupation, Workplace: x.workplace, YouthUnion: ageOf(x.birth, AsOf) <= 30,
		OrgID: p.orgs[o].id, Stage: domain.StageSource}
	if x.female {
		d.Sex = domain.Female
	}
	if x.residence >= 0 {
		d.ResidenceID = p.units[x.residence].id
	}
	if err := tx.CreatePerson(ctx, d, createdAt); err != nil {
		return 0, err
	}
	x.id = d.ID
	p.people = append(p.people, *x)
	return len(p.people) - 1, nil
}

// writeClass writes one class: its sessions, learners, attendance,
// results and certificates.
func (p *plan) writeClass(ctx context.Context, tx *store.Store, r *rand.Rand, cp *classPlan) error {
	first, last := cp.sessions[0], cp.sessions[len(cp.sessions)-1]
	opened := first
	organiser, place, lect := centre, centrePlace, lecturers
	if cp.organiser != "" {
		organiser, place, lect = cp.organiser, cp.place, cp.lecturers
	}
	c := &domain.Class{Code: cp.code, Name: cp.name, Programme: cp.programme, OrgID: p.orgs[cp.org].id, Organiser: organiser,
		Place: place, Lecturers: lect, StartDate: first, EndDate: last, Status: domain.ClassFinished,
		OpenedOn: &opened, CompletionNo: fmt.Sprintf("%d-QĐ/TTCT", 10+r.IntN(80)), CompletionDate: &cp.completed}
	for _, u := range cp.units {
		c.UnitIDs = append(c.UnitIDs, p.orgs[u].id)
	}
	if len(cp.learners) < domain.MinLearners {
		return fmt.Errorf("demo: class %s has %d learners", cp.code, len(cp.learners))
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("demo: class %s: %w", cp.code, err)
	}
	sessions := make([]domain.Session, len(cp.sessions))
	for i, d := range cp.sessions {
		sessions[i] = domain.Session{Date: d, Lessons: domain.LessonsPerSession}
	}
	recorded := createdAt
	if !cp.recorded.IsZero() {
		recorded = cp.recorded
	}
	if err := tx.CreateClass(ctx, c, sessions, recorded); err != nil {
		return err
	}
	saved, err := tx.Sessions(ctx, c.ID)
	if err != nil {
		return err
	}
	total := len(saved) * domain.LessonsPerSession
	prog, _ := domain.ProgrammeOf(cp.programme)
	serial, err := tx.MaxCertificateSerial(ctx, fmt.Sprintf("%s-%d-", prog.Prefix, cp.certified.Year()))
	if err != nil {
		return err
	}
	learners := slices.Clone(cp.learners)
	slices.SortFunc(learners, func(a, b int) int { return cmp.Compare(p.people[a].id, p.people[b].id) })
	for _, i := range learners {
		l := &domain.Learner{ClassID: c.ID, PersonID: p.people[i].id, EnrolledOn: first.AddDate(0, 0, -7-r.IntN(14)), Status: domain.EnrolActive}
		if err := tx.AddLearner(ctx, l); err != nil {
			return fmt.Errorf("demo: %s in %s: %w", p.people[i].name, cp.code, err)
		}
		miss := map[int]int{} // session index → lessons missed
		u := r.Float64()
		pass := cp.mustPass[i]
		switch {
		case !cp.results || pass:
		case u < 0.02: // a whole session and more: below 80 %
			miss[r.IntN(len(saved))] = domain.LessonsPerSession
			miss[r.IntN(len(saved))] += 2
		case u < 0.09:
			miss[r.IntN(len(saved))] = 1 + r.IntN(3)
		}
		for k, s := range saved {
			n := s.Lessons - min(miss[k], s.Lessons)
			l.Attended += n
			if err := tx.SetAttendance(ctx, l.ID, s.ID, n); err != nil {
				return err
			}
		}
		p.drawResult(r, l, cp.results && !pass, total, last)
		l.Evaluate(total, total, last)
		if err := tx.SaveLearner(ctx, l); err != nil {
			return err
		}
		if l.Outcome != domain.OutcomePass {
			continue
		}
		serial++
		k := &domain.Certificate{EnrolmentID: l.ID, PersonID: l.PersonID, ClassID: c.ID, Programme: c.Programme,
			Number: fmt.Sprintf("%s-%d-%04d", prog.Prefix, cp.certified.Year(), serial), Issued: cp.certified,
			ValidUntil: domain.CertificateValidUntil(c.Programme, cp.certified)}
		if err := domain.CheckCertificateDate(cp.completed, k.Issued, ""); err != nil {
			return fmt.Errorf("demo: %s: %w", cp.code, err)
		}
		if err := tx.CreateCertificate(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// drawResult gives a learner the two graders' scores: a mean around 7,
// a few absent from the essay, a few failing with one retake within three
// days. Without varied results everyone passes (they went on to admission).
func (p *plan) drawResult(r *rand.Rand, l *domain.Learner, varied bool, total int, exam time.Time) {
	score := func(lo, hi int) *int { v := (lo + r.IntN(hi-lo+1)) * 25; return &v } // quarter points
	if !domain.AttendanceOK(l.Attended, total) {
		return // may not sit the essay
	}
	u := r.Float64()
	switch {
	case varied && u < 0.015:
		l.Absent = true
	case varied && u < 0.055:
		l.Score1, l.Score2 = score(12, 19), score(12, 19)
		if *l.Score1+*l.Score2 >= 2*domain.PassMark {
			*l.Score2 = 2*domain.PassMark - *l.Score1 - 25
		}
		if r.IntN(3) > 0 { // the retake, within three days
			d := exam.AddDate(0, 0, 1+r.IntN(domain.RetakeDays))
			l.RetakeDate, l.Retake1, l.Retake2 = &d, score(21, 28), score(21, 28)
		}
	default:
		base := 22 + r.IntN(15) // 5,5 to 9
		if r.IntN(6) == 0 {
			base += 2
		}
		l.Score1, l.Score2 = score(base-1, min(base+1, 40)), score(base-1, min(base+1, 40))
	}
}
