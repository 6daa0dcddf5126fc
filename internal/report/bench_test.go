package report

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
)

// provinceStore mirrors the province of internal/service's progress
// benchmark: 1 province, 15 districts, 10 grassroots committees each, 6
// chapters each (1,066 units); 100,000 members admitted over 40 years,
// 3,000 of them in 2024.
func provinceStore(b *testing.B) (*service.Service, context.Context) {
	b.Helper()
	ctx := service.WithUser(context.Background(), service.System)
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	svc := service.New(st, nil)
	svc.Now = func() time.Time { return time.Date(2024, 12, 31, 12, 0, 0, 0, time.UTC) }
	rng := rand.New(rand.NewPCG(1, 2))
	from := domain.Day(1990, 1, 1)
	var chapters []int64
	dl := domain.Day(2024, 12, 31)
	err = st.Tx(ctx, func(tx *store.Store) error {
		mk := func(code, name string, kind domain.OrgKind, parent int64) (*domain.Org, error) {
			o := &domain.Org{Code: code, Name: name, Kind: kind, Sector: "commune", ParentID: parent, ValidFrom: from}
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
	return svc, ctx
}

// BenchmarkConferenceReport builds the conference report of a province
// (1,066 units, 100,000 members) and writes it as Word, PDF and Excel.
// The requirement is under 2 seconds; figures go to BENCHMARKS.md.
func BenchmarkConferenceReport(b *testing.B) {
	svc, ctx := provinceStore(b)
	asof := domain.Day(2024, 10, 15)
	var c *Conference
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			var err error
			if c, err = Build(ctx, svc, Options{OrgCode: "tinh", Year: 2024, AsOf: asof}); err != nil {
				b.Fatal(err)
			}
			if c.Progress.Admitted == 0 || len(c.Units) != 15 {
				b.Fatalf("admitted %d, %d units", c.Progress.Admitted, len(c.Units))
			}
		}
	})
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"docx", func(w *bytes.Buffer) error { return WriteDocx(w, c.Document()) }},
		{"pdf", func(w *bytes.Buffer) error { return WritePDF(w, c.Document()) }},
		{"xlsx", func(w *bytes.Buffer) error { return WriteXLSX(w, c) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				var buf bytes.Buffer
				if err := f.write(&buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The whole request, build and Word file, for one district (~71 units).
	b.Run("district-docx", func(b *testing.B) {
		for b.Loop() {
			c, err := Build(ctx, svc, Options{OrgCode: "h3", Year: 2024, AsOf: asof})
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteDocx(&buf, c.Document()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
