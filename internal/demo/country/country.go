// Package country loads a deterministic synthetic country (issue 15) in
// the two-level structure that stands since 1 July 2025 (DOMAIN §2,
// admission-rules §9): the 34 provinces by their real names, under each
// its commune and ward committees with their village, residential-group,
// agency, school and enterprise chapters (a high school's grassroots
// committee in the larger ones), the province's agency committees
// (authorised to decide their own admissions) and enterprise committees;
// the members with their admission decisions, about 200,000 a year at
// scale 1, those since 1 October 2025 reached through cases; the 2026
// quotas and plans on every committee; and open cases at every stage of
// the procedure. Every person is invented; the same scale gives the same
// data on every load.
//
// It is a bulk loader: the rows are generated in memory province by
// province and written with the store's multi-row INSERTs (store/bulk.go),
// one transaction per province; the service then computes what comes
// next on every open case and its deadlines (service.RefreshCases), as it
// does after any change, so that the pages, the roll-up and the lists
// read the country as they read data entered by hand.
package country

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// AsOf is the date the country stands on; the pages open on it.
var AsOf = domain.Day(2026, 11, 30)

// founded is the day the two-level structure began: every commune,
// ward and province committee of the country opens on it.
var founded = domain.Day(2025, 7, 1)

// deadline2026 is the deadline of the 2026 quotas and plans.
var deadline2026 = domain.Day(2026, 12, 31)

// seed fixes the generator.
const seed = 20250701

// metaScale is the meta key recording that the country is loaded, with its scale.
const metaScale = "demo_country_scale"

// Summary is what a load built.
type Summary struct {
	Scale        float64
	AsOf         time.Time
	Provinces    int
	Communes     int // commune committees (xã)
	Wards        int // ward committees (phường)
	Grassroots   int // grassroots committees (schools, provincial agencies, enterprises)
	Chapters     int
	Orgs         int
	Villages     int // thôn, buôn, tổ dân phố
	Schools      int
	People       int
	Members      int // probationary and official
	Admitted2026 int // decisions dated in 2026 up to AsOf
	Cases        int
	OpenByStage  map[string]int
	Classes      int // awareness classes planned for December
	Learners     int // enrolled in them
	Quota2026    int // the whole country's quota
	Plan2026     int
	// AdmittedByProvince is Admitted2026 per province code.
	AdmittedByProvince map[string]int
	// Hash is a SHA-256 of the generated rows: the same scale gives the same hash.
	Hash    string
	Elapsed time.Duration
}

// Open is the number of open cases.
func (s *Summary) Open() int {
	n := 0
	for _, v := range s.OpenByStage {
		n += v
	}
	return n
}

// gen is the generator's state: the counters that assign ids and the rows
// of the province being generated.
type gen struct {
	scale         float64
	totalCommunes int
	rootID        int64
	ids           store.BulkIDs
	nextOrgID     int64
	nextUnitID    int64
	nextSchoolID  int64
	paths         map[int64]string
	serials       map[string]int
	sum           Summary
	hash          hash.Hash

	openPeople []int64 // the people whose case is open
	rows               // the province being generated
}

// rows are the rows of one province, generated, then written.
type rows struct {
	province   int // index in orgs
	orgs       []domain.Org
	units      []unit
	quotaUnits []int // indexes in orgs of the committees that get a quota
	villages   []domain.ResidentialUnit
	schools    []domain.School
	enrolment  []domain.Enrolment
	auths      []domain.Authority
	people     []domain.Person
	members    []domain.Membership
	cases      []domain.Case
	votes      []domain.CaseVote
	docs       []domain.CaseDocument
	intros     []domain.CaseIntroducer
	verifs     []domain.CaseVerification
	lastVerifs int
	lastDocs   int
	lastIntros int
	poolIDs    []int64
	poolSince  []time.Time
	targets    []domain.Target
	classes    []classPlan
}

// nextID returns the next id of a table.
func (g *gen) nextID(table string) int64 {
	id := g.ids[table]
	g.ids[table] = id + 1
	return id
}

// take returns the rows of the province generated last and starts
// afresh (the writers own what they are given).
func (g *gen) take() *rows {
	r := g.rows
	g.rows = rows{}
	return &r
}

// Load builds the country at the scale (0 < scale ≤ 1) into st, which must
// hold no organization; it returns loaded=false when the country is
// already there. progress, if not nil, receives a progress bar (carriage
// returns, then a newline at the end).
func Load(ctx context.Context, st *store.Store, scale float64, progress io.Writer) (_ *Summary, loaded bool, err error) {
	defer domain.Wrap(&err, "country.Load")
	if math.IsNaN(scale) || scale <= 0 || scale > 1 {
		return nil, false, domain.FieldError("scale", "Tỉ lệ phải lớn hơn 0 và không quá 1 (ví dụ 0,1)")
	}
	start := time.Now()
	if v, err := st.GetMeta(ctx, metaScale); err != nil {
		return nil, false, err
	} else if v != "" {
		return nil, false, nil
	}
	roots, err := st.Roots(ctx)
	if err != nil {
		return nil, false, err
	}
	if len(roots) > 0 {
		return nil, false, domain.Errorf(domain.EConflict,
			"Cơ sở dữ liệu đã có dữ liệu tổ chức (%s) nên không nạp dữ liệu mẫu cả nước vào đây. Hãy dùng một cơ sở dữ liệu trống, ví dụ: ketnap demo --country --db caNuoc.db",
			roots[0].Name)
	}
	restore, err := st.BulkCache(ctx, 128)
	if err != nil {
		return nil, false, err
	}
	defer restore()
	// the funnel's counts are computed once at the end (FillFunnel), not
	// on each of the many writes of a case, its deadlines and its classes
	if err := st.DeferFunnel(ctx); err != nil {
		return nil, false, err
	}
	ids, err := st.BulkNextIDs(ctx)
	if err != nil {
		return nil, false, err
	}
	g := &gen{scale: scale, ids: ids, nextOrgID: ids["orgs"] - 1, nextUnitID: ids["residential_units"] - 1,
		nextSchoolID: ids["schools"] - 1, paths: map[int64]string{}, serials: map[string]int{}, hash: sha256.New(),
	}
	g.sum = Summary{Scale: scale, AsOf: AsOf, OpenByStage: map[string]int{}, AdmittedByProvince: map[string]int{}}
	for pi := range provinces {
		g.totalCommunes += g.communesOf(pi)
	}
	bar := newBar(progress)
	now := time.Date(AsOf.Year(), AsOf.Month(), AsOf.Day(), 8, 0, 0, 0, domain.Vietnam)

	root := g.addOrg("ca-nuoc", "Đảng bộ cả nước (dữ liệu mẫu)", domain.KindProvince, "commune", 0)
	g.rootID = g.orgs[root].ID
	rootOrg := g.orgs[root]
	if err := st.Tx(ctx, func(tx *store.Store) error { return tx.BulkOrgs(ctx, g.orgs) }); err != nil {
		return nil, false, err
	}
	g.hashOrgs()
	g.take()

	var provinceIDs []int64
	var classes []classPlan
	var provinceQuota, provincePlan []int
	// generation (one core) runs ahead of the writers: one on SQLite,
	// which has one writer anyway, several on PostgreSQL, where a province
	// costs round trips and the server's work more than this process's
	w := newWriters(ctx, st, now, bar, len(provinces))
	for pi := range provinces {
		rng := rand.New(rand.NewPCG(seed, uint64(pi+1)))
		g.buildTree(pi, rng)
		g.buildPeople(pi, rng)
		quota, plan := g.buildTargets(rng)
		g.buildClasses(rng)
		g.sum.Classes += len(g.classes)
		for _, c := range g.classes {
			g.sum.Learners += len(c.learners)
		}
		provinceIDs, provinceQuota, provincePlan = append(provinceIDs, g.orgs[g.province].ID), append(provinceQuota, quota), append(provincePlan, plan)
		g.sum.AdmittedByProvince[g.orgs[g.province].Code] = g.sum.Admitted2026 - g.admittedBefore()
		g.sum.Villages += len(g.villages)
		g.sum.Schools += len(g.schools)
		g.hashRows()
		classes = append(classes, g.classes...)
		if !w.send(g.take()) {
			break
		}
	}
	if err := w.wait(); err != nil {
		return nil, false, err
	}
	// the classes take their ids from the store: written in one order,
	// after the provinces, so that the ids are the same on every load
	if err := st.Tx(ctx, func(tx *store.Store) error { return writeClasses(ctx, tx, classes, now) }); err != nil {
		return nil, false, err
	}
	err = st.Tx(ctx, func(tx *store.Store) error {
		var ts []domain.Target
		for _, kind := range []string{domain.TargetQuota, domain.TargetPlan} {
			t := domain.Target{OrgID: g.rootID, Year: 2026, Kind: kind, Deadline: &deadline2026}
			for i := range provinceIDs {
				if kind == domain.TargetQuota {
					t.Value += provinceQuota[i]
				} else {
					t.Value += provincePlan[i]
				}
			}
			ts = append(ts, t)
		}
		g.sum.Quota2026, g.sum.Plan2026 = ts[0].Value, ts[1].Value
		return tx.BulkTargets(ctx, ts)
	})
	if err != nil {
		return nil, false, err
	}
	if err := g.refresh(ctx, st, bar); err != nil {
		return nil, false, err
	}
	bar.set(0.975, "Đang tính số hồ sơ theo giai đoạn của từng tổ chức")
	if err := st.FillFunnel(ctx); err != nil {
		return nil, false, err
	}
	bar.set(0.98, "Đang cập nhật thống kê của cơ sở dữ liệu")
	err = st.Tx(ctx, func(tx *store.Store) error {
		if err := tx.BulkFinish(ctx); err != nil {
			return err
		}
		detail := fmt.Sprintf(`{"asof":%q,"scale":%g,"orgs":%d,"people":%d,"members":%d}`,
			AsOf.Format(domain.DateLayout), scale, g.sum.Orgs, g.sum.People, g.sum.Members)
		var actor int64
		if u := service.UserFrom(ctx); u != nil {
			actor = u.ID
		}
		if err := tx.Audit(ctx, time.Now(), actor, "demo_country", "org", rootOrg.ID, detail); err != nil {
			return err
		}
		if err := service.New(tx, nil).MarkDemo(ctx, AsOf); err != nil {
			return err
		}
		return tx.SetMeta(ctx, metaScale, fmt.Sprintf("%g", scale))
	})
	if err != nil {
		return nil, false, err
	}
	if err := st.Analyze(ctx); err != nil {
		return nil, false, err
	}
	bar.done()
	g.sum.Hash = hex.EncodeToString(g.hash.Sum(nil))
	g.sum.Elapsed = time.Since(start)
	return &g.sum, true, nil
}

// admittedBefore is the country's 2026 admissions before this province.
func (g *gen) admittedBefore() int {
	n := 0
	for _, v := range g.sum.AdmittedByProvince {
		n += v
	}
	return n
}

// write writes the province's rows in the transaction tx.
func (r *rows) write(ctx context.Context, tx *store.Store, now time.Time) error {
	steps := []func() error{
		func() error { return tx.BulkOrgs(ctx, r.orgs) },
		func() error { return tx.BulkAuthorities(ctx, r.auths) },
		func() error { return tx.BulkResidentialUnits(ctx, r.villages) },
		func() error { return tx.BulkSchools(ctx, r.schools, r.enrolment) },
		func() error { return tx.BulkPeople(ctx, r.people, now) },
		func() error { return tx.BulkMemberships(ctx, r.members) },
		func() error { return tx.BulkCases(ctx, r.cases, now) },
		func() error { return tx.BulkVotes(ctx, r.votes) },
		func() error { return tx.BulkDocuments(ctx, r.docs) },
		func() error { return tx.BulkIntroducers(ctx, r.intros) },
		func() error { return tx.BulkVerifications(ctx, r.verifs) },
		func() error { return tx.BulkSourcePool(ctx, r.poolIDs, r.poolSince) },
		func() error { return tx.BulkTargets(ctx, r.targets) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// writers write the provinces' rows as they come, each province in one
// transaction, and draw the progress bar.
type writers struct {
	ch     chan *rows
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
	done   int
	total  int
	bar    *bar
	cancel context.CancelFunc
}

// newWriters starts the writers of st: one on SQLite, three on PostgreSQL.
func newWriters(ctx context.Context, st *store.Store, now time.Time, b *bar, total int) *writers {
	ctx, cancel := context.WithCancel(ctx)
	n := 1
	if st.Engine() == store.Postgres {
		n = 3
	}
	w := &writers{ch: make(chan *rows, 1), total: total, bar: b, cancel: cancel}
	b.set(0, "Đang tạo các đảng bộ tỉnh, thành phố")
	for range n {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for r := range w.ch {
				err := st.Tx(ctx, func(tx *store.Store) error { return r.write(ctx, tx, now) })
				w.mu.Lock()
				if err != nil && w.err == nil {
					w.err = err
					cancel()
				}
				w.done++
				name := r.orgs[r.province].Name
				w.bar.set(0.85*float64(w.done)/float64(w.total), fmt.Sprintf("Đã ghi %s (%d/%d)", name, w.done, w.total))
				w.mu.Unlock()
			}
		}()
	}
	return w
}

// send hands a province to the writers; false once one of them failed.
func (w *writers) send(r *rows) bool {
	w.mu.Lock()
	failed := w.err != nil
	w.mu.Unlock()
	if failed {
		return false
	}
	w.ch <- r
	return true
}

// wait waits for the writers and returns the first error.
func (w *writers) wait() error {
	close(w.ch)
	w.wg.Wait()
	w.cancel()
	return w.err
}

// buildTargets sets the 2026 quota and plan of every committee of the
// province from the admissions its members make in a year, some set high
// and some low, and the province's as their sum; it returns the province's.
func (g *gen) buildTargets(rng *rand.Rand) (quota, plan int) {
	expected := map[int]float64{}
	for _, u := range g.units {
		expected[u.parentUnit] += float64(u.members) * admissionRate
	}
	for _, qi := range g.quotaUnits {
		q := max(1, int(math.Round(expected[qi]*(0.7+0.5*rng.Float64()))))
		p := q + int(math.Ceil(float64(q)*0.1))
		quota, plan = quota+q, plan+p
		g.addTargets(g.orgs[qi].ID, q, p)
	}
	g.addTargets(g.orgs[g.province].ID, quota, plan)
	return quota, plan
}

func (g *gen) addTargets(org int64, quota, plan int) {
	g.targets = append(g.targets,
		domain.Target{OrgID: org, Year: 2026, Kind: domain.TargetQuota, Value: quota, Deadline: &deadline2026},
		domain.Target{OrgID: org, Year: 2026, Kind: domain.TargetPlan, Value: plan, Deadline: &deadline2026})
}

// refresh has the service compute the next action and the deadlines of
// every open case, in transactions of a thousand: one after the other on
// SQLite, four at a time on PostgreSQL.
func (g *gen) refresh(ctx context.Context, st *store.Store, b *bar) error {
	const batch = 1000
	people := g.openPeople
	workers := 1
	if st.Engine() == store.Postgres {
		workers = 4
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	parts := make(chan []int64)
	var mu sync.Mutex
	var first error
	done := 0
	label := fmt.Sprintf("Đang tính hạn xử lý của %s hồ sơ đang mở", vn.Int(len(people)))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for part := range parts {
				err := st.Tx(ctx, func(tx *store.Store) error {
					svc := service.New(tx, nil).Replaying()
					svc.Now = func() time.Time { return time.Date(AsOf.Year(), AsOf.Month(), AsOf.Day(), 3, 0, 0, 0, time.UTC) }
					return svc.RefreshCases(ctx, part...)
				})
				mu.Lock()
				if err != nil && first == nil {
					first = err
					cancel()
				}
				done += len(part)
				b.set(0.85+0.13*float64(done)/float64(max(1, len(people))), label)
				mu.Unlock()
			}
		}()
	}
	for start := 0; start < len(people) && ctx.Err() == nil; start += batch {
		parts <- people[start:min(start+batch, len(people))]
	}
	close(parts)
	wg.Wait()
	return first
}

// hashOrgs and hashRows feed the generated rows to the summary's hash.
func (g *gen) hashOrgs() {
	for _, o := range g.orgs {
		g.hashStr(o.Code, o.Name, string(o.Kind), string(o.Sector), o.Path)
	}
}

func (g *gen) hashRows() {
	g.hashOrgs()
	for _, p := range g.people {
		g.hashStr(p.FullName, p.BirthDate.Format(domain.DateLayout), p.Sex, p.Ethnicity, p.CCCD, p.Stage)
		g.hashInt(p.ID, p.OrgID, p.ResidenceID)
	}
	for _, m := range g.members {
		g.hashStr(m.DecisionNo, m.DecisionDate.Format(domain.DateLayout), m.Status, m.Origin)
		g.hashInt(m.ID, m.PersonID, m.AdmittedOrgID)
	}
	for _, c := range g.cases {
		g.hashStr(c.Stage, c.OpenedOn.Format(domain.DateLayout), c.DecisionNo)
		g.hashInt(c.ID, c.PersonID, c.HelperID)
	}
	for _, v := range g.votes {
		g.hashStr(v.Level, v.Date.Format(domain.DateLayout))
		g.hashInt(v.CaseID, int64(v.Yes))
	}
	for _, t := range g.targets {
		g.hashInt(t.OrgID, int64(t.Value))
	}
	for _, c := range g.classes {
		g.hashStr(c.class.Code, c.class.Name)
		g.hashInt(c.learners...)
	}
}

func (g *gen) hashStr(ss ...string) {
	for _, s := range ss {
		io.WriteString(g.hash, s)
		g.hash.Write([]byte{0})
	}
}

func (g *gen) hashInt(ns ...int64) {
	var b [8]byte
	for _, n := range ns {
		binary.LittleEndian.PutUint64(b[:], uint64(n))
		g.hash.Write(b[:])
	}
}

// bar draws a progress bar on a terminal line.
type bar struct {
	w    io.Writer
	last string
}

func newBar(w io.Writer) *bar { return &bar{w: w} }

// set draws the bar at fraction f with a label.
func (b *bar) set(f float64, label string) {
	if b.w == nil {
		return
	}
	const width = 30
	n := int(f * width)
	line := fmt.Sprintf("\r[%s%s] %3d %% %s", strings.Repeat("█", n), strings.Repeat("░", width-n), int(f*100), label)
	if line == b.last {
		return
	}
	pad := ""
	if k := len([]rune(b.last)) - len([]rune(line)); k > 0 {
		pad = strings.Repeat(" ", k)
	}
	fmt.Fprint(b.w, line+pad)
	b.last = line
}

// done completes the bar and ends its line.
func (b *bar) done() {
	if b.w == nil {
		return
	}
	b.set(1, "Xong")
	fmt.Fprintln(b.w)
}
