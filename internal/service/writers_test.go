package service_test

import (
	"fmt"
	"sync"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// Issue 13, item 5: twenty service calls that write, at once, on a fresh
// database (repeated): each succeeds (SQLite's writes queue for its one
// writer connection instead of failing with SQLITE_BUSY) and each wrote.
func TestTwentyParallelWriters(t *testing.T) {
	const writers = 20
	for round := range 3 {
		svc, ctx := newService(t)
		mkOrg(t, svc, ctx, "kp", "Đảng bộ huyện Krông Pắc", domain.KindDistrict, "")
		mkOrg(t, svc, ctx, "eaphe", "Đảng bộ xã Ea Phê", domain.KindGrassroots, "kp")
		var wg sync.WaitGroup
		errs := make([]error, writers)
		start := make(chan struct{})
		for w := range writers {
			wg.Go(func() {
				<-start
				code := fmt.Sprintf("eaphe-t%d", w)
				if _, err := svc.CreateOrg(ctx, service.OrgInput{Code: code, Name: fmt.Sprintf("Chi bộ thôn %d", w), Kind: domain.KindChapter,
					Sector: "commune", ParentCode: "eaphe", ValidFrom: day(2020, 1, 1)}); err != nil {
					errs[w] = err
					return
				}
				_, errs[w] = svc.CreatePerson(ctx, personIn(code, fmt.Sprintf("Nguyễn Văn Số %d", w)))
			})
		}
		close(start)
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Errorf("round %d, writer %d: %v", round, w, err)
			}
		}
		pg, err := svc.People(ctx, service.PeopleQuery{OrgCode: "eaphe", PerPage: 100})
		if err != nil || pg.Total != writers {
			t.Errorf("round %d: %+v people written (%v); want %d", round, pg, err, writers)
		}
	}
}
