package store

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// BenchmarkPeopleAtScale measures the people list and the name search
// (issue 15, item 3) on a synthetic store of KETNAP_BENCH_PEOPLE people
// (default 500,000) with drawn Vietnamese names, spread over 34
// provinces, 1,020 communes and 20,400 chapters: the first page and the
// next (by key) of the whole country, of a province and of a chapter, and
// name searches over each. The fixture is built in the benchmark, never
// committed. Run it alone:
// go test -run='^$' -bench=PeopleAtScale -benchtime=20x -timeout 60m ./internal/store
func BenchmarkPeopleAtScale(b *testing.B) {
	n := 500_000
	if v, err := strconv.Atoi(os.Getenv("KETNAP_BENCH_PEOPLE")); err == nil && v > 0 {
		n = v
	}
	st, ctx := openTest(b)
	t0 := time.Now()
	mk := func(tx *Store, code string, kind domain.OrgKind, parent int64) *domain.Org {
		o := &domain.Org{Code: code, Name: "Đơn vị " + code, Kind: kind, Sector: "commune", ParentID: parent, ValidFrom: d(2020, 1, 1)}
		if err := tx.CreateOrg(ctx, o); err != nil {
			b.Fatal(err)
		}
		return o
	}
	var root, province, chapter *domain.Org
	var chapters []int64
	err := st.Tx(ctx, func(tx *Store) error {
		root = mk(tx, "tw", domain.KindProvince, 0)
		for p := range 34 {
			po := mk(tx, fmt.Sprintf("t%d", p), domain.KindProvince, root.ID)
			if p == 0 {
				province = po
			}
			for c := range 30 {
				co := mk(tx, fmt.Sprintf("t%d-x%d", p, c), domain.KindCommune, po.ID)
				for h := range 20 {
					ch := mk(tx, fmt.Sprintf("t%d-x%d-c%d", p, c, h), domain.KindChapter, co.ID)
					if chapter == nil {
						chapter = ch
					}
					chapters = append(chapters, ch.ID)
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	family := []string{"Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Y", "H'"}
	middle := []string{"Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Xuân", "Thu", "Kim", "Bảo"}
	given := []string{"An", "Anh", "Ánh", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng",
		"Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngọc", "Nhung", "Phúc", "Phương", "Quân", "Sơn",
		"Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Xuân", "Yến", "Kdăm", "Niê", "Ayun", "Mlô"}
	rng := rand.New(rand.NewPCG(15, 3))
	now := time.Date(2024, 5, 4, 8, 0, 0, 0, time.UTC)
	for start := 0; start < n; start += 5000 {
		err := st.Tx(ctx, func(tx *Store) error {
			for i := start; i < min(start+5000, n); i++ {
				name := family[rng.IntN(len(family))] + " " + middle[rng.IntN(len(middle))] + " " + given[rng.IntN(len(given))]
				org := chapters[rng.IntN(len(chapters))]
				if i < 40 {
					org = chapter.ID
				}
				p := newPerson(org, name, "")
				if err := tx.CreatePerson(ctx, p, now); err != nil {
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
	b.Logf("%s: %d people built in %v", st.engine, n, time.Since(t0).Round(time.Second))

	for _, scope := range []struct {
		name string
		o    *domain.Org
	}{{"country", root}, {"province", province}, {"chapter", chapter}} {
		for _, q := range []string{"", "nguyen van an", "kdam", "tr", "h"} {
			name := scope.name + "/list"
			if q != "" {
				name = scope.name + "/search=" + q
			}
			b.Run(name, func(b *testing.B) {
				var total int
				for b.Loop() {
					ps, tot, err := st.ListPeople(ctx, PersonFilter{Path: scope.o.Path, Query: q, Limit: 51})
					if err != nil {
						b.Fatal(err)
					}
					total = tot
					if len(ps) == 51 { // the next page, by key
						last := ps[49]
						if _, _, err := st.ListPeople(ctx, PersonFilter{Path: scope.o.Path, Query: q, Limit: 51,
							After: &PersonCursor{Key: last.NameKey, ID: last.ID}}); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(total), "matches")
			})
		}
	}
}
