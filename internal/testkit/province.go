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
// 2024; the admissions from 2014 on reached through cases (about 26,000,
// closed once recognised), and 10 open cases a chapter (9,000: 8 sources,
// 2 past the chapter vote). It returns the service acting as the system
// administrator and the code of one chapter.
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
			if dec.Year() >= 2014 {
				m.Origin = domain.OriginCase
			}
			if err := tx.CreateMembership(ctx, m); err != nil {
				return err
			}
			if dec.Year() >= 2014 {
				if _, err := provinceCase(ctx, tx, p.ID, org, domain.CaseOfficial, dec, m.ID, svc.Now()); err != nil {
					return err
				}
			}
		}
		for i, org := range chapters {
			for k := range 10 {
				p := &domain.Person{FullName: fmt.Sprintf("Trần Văn %d-%d", i, k), BirthDate: domain.Day(2000+rng.IntN(5), 1, 1),
					Sex: domain.Male, Ethnicity: "01", Religion: "none", Education: "upper_secondary", Occupation: "other",
					OrgID: org, Stage: domain.StageSource}
				if err := tx.CreatePerson(ctx, p, svc.Now()); err != nil {
					return err
				}
				stage := domain.CaseSource
				if k < 2 {
					stage = domain.CaseChapterVoted
				}
				id, err := provinceCase(ctx, tx, p.ID, org, stage, time.Time{}, 0, svc.Now())
				if err != nil {
					return err
				}
				if k >= 2 {
					continue
				}
				if err := tx.AddVote(ctx, &domain.CaseVote{CaseID: id, Purpose: domain.PurposeAdmission, Level: domain.LevelChapter,
					Date: domain.Day(2024, 9, 1).AddDate(0, 0, rng.IntN(40)), Members: 10, Present: 10, Yes: 10, Passed: true, RulesID: "2021"}); err != nil {
					return err
				}
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

// provinceCase writes the case of a person of the chapter org at the
// stage: decided on dec (with its chapter vote a month before) and closed
// on recognition a year later, or, for a zero dec, open since 2024.
func provinceCase(ctx context.Context, tx *store.Store, person, org int64, stage string, dec time.Time, membership int64, now time.Time) (int64, error) {
	c := &domain.Case{PersonID: person, OrgID: org, Kind: domain.CaseFirst, Stage: stage, StageBefore: domain.StageSource,
		OpenedOn: domain.Day(2024, 1, 15)}
	if !dec.IsZero() {
		closed := dec.AddDate(1, 0, 10)
		c.OpenedOn, c.DecisionNo, c.DecisionDate, c.MembershipID, c.ClosedOn = dec.AddDate(0, -10, 0), "1-QĐ", &dec, membership, &closed
	}
	if err := tx.CreateCase(ctx, c, now); err != nil {
		return 0, err
	}
	if dec.IsZero() {
		return c.ID, nil
	}
	return c.ID, tx.AddVote(ctx, &domain.CaseVote{CaseID: c.ID, Purpose: domain.PurposeAdmission, Level: domain.LevelChapter,
		Date: dec.AddDate(0, -1, 0), Members: 10, Present: 10, Yes: 10, Passed: true, RulesID: "2021"})
}
