// Package demo loads the deterministic demo district (DOMAIN §9): a
// fictional but faithful Krông Pắc district as it stood on 4 May 2024, the
// day of the conference in seed/article, with its town and 15 communes,
// villages, district agencies, high schools, about 7,000 members, the 2024
// quotas (246) and plans (275), the 57 admissions that made 23,17 %, and a
// pool of sources and candidates. Every person is invented; the same seed
// gives the same data on every load.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// AsOf is the date the demo stands on: the day of the article's conference.
var AsOf = domain.Day(2024, 5, 4)

// seed fixes the generator: the demo is the same on every load.
const seed1, seed2 = 20240504, 246275

// plan is the whole demo in memory, built before anything is written.
type plan struct {
	rng        *rand.Rand
	orgs       []orgPlan
	units      []unitPlan
	schools    []schoolPlan
	people     []personPlan
	targets    []targetPlan
	merged     int            // index of the unit closed in 2023
	communeOf  map[string]int // commune name → org index
	own        map[int]ownTarget
	admit2024  map[int]int       // admissions of 2024 per chapter
	poolSince  map[int]time.Time // person index → the day they entered the pool (writeClasses)
	lazy       map[int]bool      // chapters that never send their sources to a class (writeClasses)
	cccdSerial int               // citizen IDs numbered so far (finishPeople)
	provinceID int64             // the province above the district (writeTree)
}

// build generates the demo deterministically.
func build() (*plan, error) {
	p := &plan{rng: rand.New(rand.NewPCG(seed1, seed2)), merged: -1, communeOf: map[string]int{}, own: map[int]ownTarget{}}
	p.buildTree()
	if err := p.buildTargets(); err != nil {
		return nil, err
	}
	p.buildMembers()
	p.buildAdmissions2023()
	if err := p.buildAdmissions2024(); err != nil {
		return nil, err
	}
	p.buildPool()
	p.finishPeople()
	return p, nil
}

// Load loads the demo district into st unless it is already there; it
// returns loaded=false when it was. The demo is a bulk loader wired by the
// composition root (internal/cli): it writes the tree, the people and the
// targets straight into the store, and drives the cases through a service
// bound to its transaction, so that the procedure's rules judge them. It refuses (EConflict) a
// database that holds other organizations. Everything is written in one
// transaction, so a failure leaves nothing behind. progress, if not nil,
// receives short Vietnamese progress lines.
func Load(ctx context.Context, st *store.Store, progress func(string)) (loaded bool, err error) {
	defer domain.Wrap(&err, "demo.Load")
	say := func(format string, args ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, args...))
		}
	}
	svc := service.New(st, nil)
	if _, ok := svc.DemoAsOf(ctx); ok {
		return false, nil
	}
	if err := refuseOthers(ctx, st); err != nil {
		return false, err
	}
	say("Đang chuẩn bị dữ liệu mẫu huyện Krông Pắc (hư cấu) tính đến ngày %s…", vn.Date(AsOf))
	p, err := build()
	if err != nil {
		return false, err
	}
	members := p.memberCount()
	already := false
	err = st.Tx(ctx, func(tx *store.Store) error {
		// Checked again inside the write transaction: another load may have won the race.
		txSvc := service.New(tx, nil)
		if _, ok := txSvc.DemoAsOf(ctx); ok {
			already = true
			return nil
		}
		if err := refuseOthers(ctx, tx); err != nil {
			return err
		}
		// the funnel's counts are computed once at the end (FillFunnel),
		// not on each of the load's many writes of cases and people
		if err := tx.DeferFunnel(ctx); err != nil {
			return err
		}
		say("Đang tạo %s tổ chức đảng, %s thôn, buôn, tổ dân phố và %d trường THPT…",
			vn.Int(len(p.orgs)), vn.Int(len(p.units)), len(p.schools))
		if err := p.writeTree(ctx, tx); err != nil {
			return err
		}
		say("Đang tạo %s đảng viên và %s quần chúng trong nguồn phát triển…", vn.Int(members), vn.Int(len(p.people)-members))
		if err := p.writePeople(ctx, tx); err != nil {
			return err
		}
		say("Đang giao chỉ tiêu, kế hoạch năm 2024 (hạn %s)…", vn.Date(deadline2024))
		// The planner's statistics of the tables filled so far, inside the
		// transaction (PostgreSQL would otherwise scan the tables it
		// believes empty for the rest of the load).
		if err := tx.Analyze(ctx); err != nil {
			return err
		}
		if err := p.writeTargets(ctx, tx); err != nil {
			return err
		}
		if err := p.writeClasses(ctx, tx); err != nil {
			return err
		}
		say("Đang chạy %s hồ sơ kết nạp qua từng bước của quy trình…", vn.Int(p.caseCount()))
		d, err := p.writeCases(ctx, tx, txSvc)
		if err != nil {
			return err
		}
		if err := tx.Analyze(ctx); err != nil {
			return err
		}
		if _, err := p.writeLater(ctx, tx, d, say); err != nil {
			return err
		}
		if err := tx.FillFunnel(ctx); err != nil {
			return err
		}
		root := p.orgs[0].id
		detail := fmt.Sprintf(`{"asof":%q,"orgs":%d,"people":%d,"members":%d}`,
			AsOf.Format(domain.DateLayout), len(p.orgs), len(p.people), members)
		var actorID int64
		if u := service.UserFrom(ctx); u != nil {
			actorID = u.ID
		}
		if err := tx.Audit(ctx, svc.Now(), actorID, "demo", "org", root, detail); err != nil {
			return err
		}
		if err := txSvc.MarkDemo(ctx, AsOf); err != nil {
			return err
		}
		return txSvc.MarkDemoLatest(ctx, Latest)
	})
	if err != nil {
		return false, err
	}
	if already {
		return false, nil
	}
	if err := st.Analyze(ctx); err != nil && svc.Log != nil {
		svc.Log.Warn("demo: analyze", "err", err)
	}
	say("Đã nạp xong: %s đảng viên; năm 2024 đã kết nạp 57/246 (23,17 %% chỉ tiêu, 20,73 %% kế hoạch).", vn.Int(members))
	return true, nil
}

// refuseOthers fails when the database already holds organizations: the
// demo is only loaded into an empty database.
func refuseOthers(ctx context.Context, st *store.Store) error {
	roots, err := st.Roots(ctx)
	if err != nil {
		return err
	}
	if len(roots) > 0 {
		return domain.Errorf(domain.EConflict,
			"Cơ sở dữ liệu đã có dữ liệu tổ chức (%s) nên không nạp dữ liệu mẫu vào đây. Hãy dùng một cơ sở dữ liệu trống, ví dụ: ketnap demo --db demo.db",
			roots[0].Name)
	}
	return nil
}

// memberCount is the number of probationary and official members.
func (p *plan) memberCount() int {
	n := 0
	for i := range p.people {
		if domain.IsMember(p.people[i].stage) {
			n++
		}
	}
	return n
}

// createdAt is the timestamp of every demo record: 8:00 in Vietnam on AsOf.
var createdAt = time.Date(2024, 5, 4, 8, 0, 0, 0, domain.Vietnam)

// writeTree creates the province, the organizations under it, their
// authority records, the residential units and the schools.
func (p *plan) writeTree(ctx context.Context, tx *store.Store) error {
	prov := &domain.Org{Code: province.code, Name: province.name, Kind: domain.KindProvince, Sector: "commune", ValidFrom: since1990,
		YouthUnion: domain.DefaultYouthUnion(domain.KindProvince, "commune")}
	if err := tx.CreateOrg(ctx, prov); err != nil {
		return err
	}
	p.provinceID = prov.ID
	for i := range p.orgs {
		o := &p.orgs[i]
		d := &domain.Org{Code: o.code, Name: o.name, Kind: o.kind, Sector: o.sector, ValidFrom: o.from, ValidTo: o.to,
			YouthUnion: domain.DefaultYouthUnion(o.kind, o.sector)}
		if o.parent >= 0 {
			d.ParentID = p.orgs[o.parent].id
		} else {
			d.ParentID = p.provinceID
		}
		if o.successor >= 0 {
			d.SuccessorID = p.orgs[o.successor].id
			if d.SuccessorID == 0 {
				return fmt.Errorf("demo: successor of %s not created first", o.code)
			}
		}
		if err := d.Validate(); err != nil {
			return fmt.Errorf("demo: %s: %w", o.code, err)
		}
		if err := tx.CreateOrg(ctx, d); err != nil {
			return err
		}
		o.id = d.ID
	}
	root := p.orgs[0].id
	for i := range p.orgs {
		o := &p.orgs[i]
		if i != 0 && !o.grassroots {
			continue
		}
		a := &domain.Authority{OrgID: o.id, ValidFrom: since1990, DeciderID: root, GrassrootsLevel: o.grassroots}
		if err := tx.SetAuthority(ctx, a); err != nil {
			return err
		}
	}
	for i := range p.units {
		u := &p.units[i]
		d := &domain.ResidentialUnit{Code: u.code, Name: u.name, Kind: u.kind, CommuneID: p.orgs[u.commune].id}
		if u.chapter >= 0 {
			d.ChapterID = p.orgs[u.chapter].id
		}
		if err := tx.CreateResidentialUnit(ctx, d); err != nil {
			return err
		}
		u.id = d.ID
	}
	for i := range p.schools {
		s := &p.schools[i]
		d := &domain.School{Code: s.code, Name: s.name, Level: "high_school", OrgID: p.orgs[s.org].id, CommuneID: p.orgs[s.commune].id}
		if err := tx.CreateSchool(ctx, d); err != nil {
			return err
		}
		s.id = d.ID
		for _, year := range []int{2022, 2023} {
			if err := tx.SetEnrolment(ctx, domain.Enrolment{SchoolID: d.ID, SchoolYear: year, Students: s.students[year]}); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeTargets sets the quotas and plans.
func (p *plan) writeTargets(ctx context.Context, tx *store.Store) error {
	for _, t := range p.targets {
		deadline := t.deadline
		d := &domain.Target{OrgID: p.orgs[t.org].id, Year: t.year, Kind: t.kind, Value: t.value, Deadline: &deadline}
		if err := d.Validate(); err != nil {
			return err
		}
		if err := tx.SetTarget(ctx, d); err != nil {
			return err
		}
	}
	return nil
}
