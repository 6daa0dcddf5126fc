package testkit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
)

// CountryShape is the size of a country-like tree for benchmarks.
type CountryShape struct {
	Provinces, Districts, Communes, Chapters int // each per unit above
	Members                                  int // official members, spread over the chapters
	Admitted                                 int // of them admitted in 2024
}

// Nation is the country at full size: 63 provinces, about 270,000
// chapters and 5.6 million members (brief); Tenth is a tenth of it, to
// build in a benchmark's time.
var (
	Nation = CountryShape{Provinces: 63, Districts: 11, Communes: 26, Chapters: 15, Members: 5_600_000, Admitted: 200_000}
	Tenth  = CountryShape{Provinces: 6, Districts: 11, Communes: 26, Chapters: 15, Members: 560_000, Admitted: 20_000}
)

// Country builds a store of the shape: a root ("tw"), provinces "t0"…,
// districts "t0-h0"…, grassroots committees "t0-h0-x0"… with quotas,
// chapters under them, and the members with their admission decisions.
// It returns the service acting as the system administrator.
func Country(b testing.TB, shape CountryShape) (*service.Service, context.Context) {
	b.Helper()
	ctx := service.WithUser(context.Background(), service.System)
	st := OpenStore(b)
	svc := service.New(st, nil)
	svc.Now = func() time.Time { return time.Date(2024, 12, 31, 12, 0, 0, 0, time.UTC) }
	rng := rand.New(rand.NewPCG(3, 4))
	tree := &countryTree{ctx: ctx, shape: shape, from: domain.Day(1990, 1, 1), deadline: domain.Day(2024, 12, 31),
		per: max(1, shape.Admitted/(shape.Provinces*shape.Districts*shape.Communes))}
	err := st.Tx(ctx, func(tx *store.Store) error {
		tree.tx = tx
		return tree.build()
	})
	if err != nil {
		b.Fatal(err)
	}
	// members in transactions of 50,000
	for start := 0; start < shape.Members; start += 50_000 {
		err := st.Tx(ctx, func(tx *store.Store) error {
			for i := start; i < min(start+50_000, shape.Members); i++ {
				if err := addCountryMember(ctx, tx, rng, shape, tree.chapters, i, svc.Now()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	return svc, ctx
}

// countryTree creates the organizations of a country's shape in a
// transaction.
type countryTree struct {
	ctx      context.Context
	tx       *store.Store
	shape    CountryShape
	from     time.Time // every organization's first day
	deadline time.Time // the quotas' deadline
	per      int       // the 2024 quota of a grassroots committee
	chapters []int64   // the chapters made so far
}

// build creates the root, the provinces and everything under them.
func (t *countryTree) build() error {
	root, err := t.org("tw", "Đảng Cộng sản Việt Nam (thử)", domain.KindProvince, 0)
	if err != nil {
		return err
	}
	for p := range t.shape.Provinces {
		prov, err := t.orgWithQuota(fmt.Sprintf("t%d", p), fmt.Sprintf("Đảng bộ tỉnh %d", p), domain.KindProvince, root.ID,
			t.per*t.shape.Districts*t.shape.Communes)
		if err != nil {
			return err
		}
		for d := range t.shape.Districts {
			if err := t.district(p, d, prov.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// district creates district d of province p, its grassroots committees
// and their chapters.
func (t *countryTree) district(p, d int, province int64) error {
	dist, err := t.orgWithQuota(fmt.Sprintf("t%d-h%d", p, d), fmt.Sprintf("Đảng bộ huyện %d-%d", p, d), domain.KindDistrict, province,
		t.per*t.shape.Communes)
	if err != nil {
		return err
	}
	for g := range t.shape.Communes {
		gr, err := t.orgWithQuota(fmt.Sprintf("t%d-h%d-x%d", p, d, g), fmt.Sprintf("Đảng bộ xã %d-%d-%d", p, d, g), domain.KindGrassroots, dist.ID, t.per)
		if err != nil {
			return err
		}
		for c := range t.shape.Chapters {
			ch, err := t.org(fmt.Sprintf("t%d-h%d-x%d-c%d", p, d, g, c), fmt.Sprintf("Chi bộ %d", c), domain.KindChapter, gr.ID)
			if err != nil {
				return err
			}
			t.chapters = append(t.chapters, ch.ID)
		}
	}
	return nil
}

// org creates an organization of the commune sector under parent (0: none).
func (t *countryTree) org(code, name string, kind domain.OrgKind, parent int64) (*domain.Org, error) {
	o := &domain.Org{Code: code, Name: name, Kind: kind, Sector: "commune", ParentID: parent, ValidFrom: t.from, YouthUnion: domain.DefaultYouthUnion(kind, "commune")}
	return o, t.tx.CreateOrg(t.ctx, o)
}

// orgWithQuota creates an organization and its 2024 quota.
func (t *countryTree) orgWithQuota(code, name string, kind domain.OrgKind, parent int64, quota int) (*domain.Org, error) {
	o, err := t.org(code, name, kind, parent)
	if err != nil {
		return nil, err
	}
	dl := t.deadline
	return o, t.tx.SetTarget(t.ctx, &domain.Target{OrgID: o.ID, Year: 2024, Kind: domain.TargetQuota, Value: quota, Deadline: &dl})
}

// addCountryMember creates person i in a chapter drawn from chapters: a
// source one time in forty, else an official member admitted on a drawn
// day, in 2024 for the first shape.Admitted of them.
func addCountryMember(ctx context.Context, tx *store.Store, rng *rand.Rand, shape CountryShape, chapters []int64, i int, now time.Time) error {
	org := chapters[rng.IntN(len(chapters))]
	stage := domain.StageOfficial
	if i%40 == 0 {
		stage = domain.StageSource
	}
	p := &domain.Person{FullName: fmt.Sprintf("Nguyễn Văn %d", i), BirthDate: domain.Day(1960+rng.IntN(45), 1, 1),
		Sex: []string{domain.Male, domain.Female}[i%2], Ethnicity: "01", Religion: "none",
		Education: "upper_secondary", Occupation: "other", OrgID: org, Stage: stage}
	if err := tx.CreatePerson(ctx, p, now); err != nil {
		return err
	}
	if stage == domain.StageSource {
		return nil
	}
	dec := domain.Day(1984+rng.IntN(40), 1, 1).AddDate(0, 0, rng.IntN(365))
	if i < shape.Admitted*40/39 {
		dec = domain.Day(2024, 1, 1).AddDate(0, 0, rng.IntN(366))
	}
	m := &domain.Membership{PersonID: p.ID, DecisionNo: "1-QĐ", DecisionDate: dec, AdmittedOrgID: org, Status: domain.StageOfficial}
	return tx.CreateMembership(ctx, m)
}
