// Package testkit builds realistic stores for benchmarks and tests. It is
// imported only by _test files, so it never reaches the binary.
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

// Province builds a province-sized store for benchmarks: 1 province
// ("tinh"), 15 districts, 10 grassroots committees each, 6 chapters each
// (1,066 units), quotas on the districts (due 31/12/2024) and the
// committees; 100,000 members admitted over 40 years, 3,000 of them in
// 2024. It returns the service acting as the system administrator and the
// code of one chapter.
func Province(b testing.TB) (*service.Service, context.Context, string) {
	b.Helper()
	ctx := service.WithUser(context.Background(), service.System)
	st := OpenStore(b)
	svc := service.New(st, nil)
	svc.Now = func() time.Time { return time.Date(2024, 12, 31, 12, 0, 0, 0, time.UTC) }
	rng := rand.New(rand.NewPCG(1, 2))
	from := domain.Day(1990, 1, 1)
	var chapters []int64
	var chapterCode string
	dl := domain.Day(2024, 12, 31)
	err := st.Tx(ctx, func(tx *store.Store) error {
		mk := func(code, name string, kind domain.OrgKind, parent int64) (*domain.Org, error) {
			o := &domain.Org{Code: code, Name: name, Kind: kind, Sector: "commune", ParentID: parent, ValidFrom: from, YouthUnion: domain.DefaultYouthUnion(kind, "commune")}
			return o, tx.CreateOrg(ctx, o)
		}
		root, err := mk("tinh", "Đảng bộ tỉnh Đắk Lắk", domain.KindProvince, 0)
		if err != nil {
			return err
		}
		for d := range 15 {
			dist, err := mk(fmt.Sprintf("h%d", d), fmt.Sprintf("Đảng bộ huyện %d", d), domain.KindDistrict, root.ID)
			if err != nil {
				return err
			}
			if err := tx.SetTarget(ctx, &domain.Target{OrgID: dist.ID, Year: 2024, Kind: domain.TargetQuota, Value: 200, Deadline: &dl}); err != nil {
				return err
			}
			for g := range 10 {
				gr, err := mk(fmt.Sprintf("h%d-x%d", d, g), fmt.Sprintf("Đảng bộ xã %d-%d", d, g), domain.KindGrassroots, dist.ID)
				if err != nil {
					return err
				}
				if err := tx.SetTarget(ctx, &domain.Target{OrgID: gr.ID, Year: 2024, Kind: domain.TargetQuota, Value: 20}); err != nil {
					return err
				}
				for c := range 6 {
					ch, err := mk(fmt.Sprintf("h%d-x%d-c%d", d, g, c), fmt.Sprintf("Chi bộ %d", c), domain.KindChapter, gr.ID)
					if err != nil {
						return err
					}
					chapters = append(chapters, ch.ID)
					if chapterCode == "" {
						chapterCode = ch.Code
					}
				}
			}
		}
		for i := range 100_000 {
			org := chapters[rng.IntN(len(chapters))]
			p := &domain.Person{FullName: fmt.Sprintf("Nguyễn Văn %d", i), BirthDate: domain.Day(1970+rng.IntN(30), 1, 1),
				Sex: domain.Male, Ethnicity: "01", Religion: "none", Education: "upper_secondary", Occupation: "other",
				OrgID: org, Stage: domain.StageOfficial}
			if err := tx.CreatePerson(ctx, p, svc.Now()); err != nil {
				return err
			}
			var dec time.Time
			if i < 3000 {
				dec = domain.Day(2024, 1, 1).AddDate(0, 0, rng.IntN(366))
			} else {
				dec = domain.Day(1984+rng.IntN(40), 1, 1).AddDate(0, 0, rng.IntN(365))
			}
			m := &domain.Membership{PersonID: p.ID, DecisionNo: "1-QĐ", DecisionDate: dec, AdmittedOrgID: org, Status: domain.StageOfficial}
			if err := tx.CreateMembership(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Analyze(ctx); err != nil {
		b.Fatal(err)
	}
	return svc, ctx, chapterCode
}
