package country

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// classPlan is an awareness class a commune has planned for December
// 2026, with the sources of its chapters who hold no certificate yet
// enrolled (a planned class records no attendance or results).
type classPlan struct {
	class    domain.Class
	sessions []domain.Session
	learners []int64
	enrolled []time.Time
}

// buildClasses plans one awareness class per commune or ward that has
// sources without a certificate: four sessions from the second week of
// December, by the commune's political centre, serving the commune's units.
func (g *gen) buildClasses(rng *rand.Rand) {
	byCommune := map[int64][]int64{}
	var order []int64
	unitOf := map[int64]*unit{}
	for i := range g.units {
		unitOf[g.orgs[g.units[i].org].ID] = &g.units[i]
	}
	for i := range g.cases {
		c := &g.cases[i]
		u := unitOf[c.OrgID]
		if c.Stage != domain.CaseSource || c.ClosedOn != nil || c.CertificateNo != "" || u == nil || u.commune == 0 {
			continue
		}
		if _, ok := byCommune[u.commune]; !ok {
			order = append(order, u.commune)
		}
		byCommune[u.commune] = append(byCommune[u.commune], c.PersonID)
	}
	names := map[int64]string{}
	codes := map[int64]string{}
	for _, o := range g.orgs {
		names[o.ID], codes[o.ID] = o.Name, o.Code
	}
	start := domain.Day(2026, 12, 8)
	for _, commune := range order {
		place := names[commune][len("Đảng bộ "):]
		cp := classPlan{class: domain.Class{Code: codes[commune] + "-nt-2026-12",
			Name:      "Lớp bồi dưỡng nhận thức về Đảng tháng 12/2026 – " + place,
			Programme: domain.ProgAwareness, OrgID: commune, Organiser: "Trung tâm Chính trị " + place,
			Place: "Hội trường Đảng ủy " + place, Lecturers: "Giảng viên Trung tâm Chính trị; báo cáo viên Ban Tuyên giáo và Dân vận",
			StartDate: start, EndDate: start.AddDate(0, 0, 3), Status: domain.ClassPlanned, UnitIDs: []int64{commune}}}
		for d := range 4 {
			cp.sessions = append(cp.sessions, domain.Session{Date: start.AddDate(0, 0, d), Lessons: domain.LessonsPerSession,
				Topic: fmt.Sprintf("Chuyên đề %d", d+1)})
		}
		for _, p := range byCommune[commune] {
			cp.learners = append(cp.learners, p)
			cp.enrolled = append(cp.enrolled, AsOf.AddDate(0, 0, -rng.IntN(20)))
		}
		g.classes = append(g.classes, cp)
	}
}

// writeClasses writes the planned classes with their learners.
func writeClasses(ctx context.Context, tx *store.Store, classes []classPlan, now time.Time) error {
	for i := range classes {
		cp := &classes[i]
		if err := cp.class.Validate(); err != nil {
			return fmt.Errorf("country: class %s: %w", cp.class.Code, err)
		}
		if err := tx.CreateClass(ctx, &cp.class, cp.sessions, now); err != nil {
			return err
		}
		for k, p := range cp.learners {
			l := &domain.Learner{ClassID: cp.class.ID, PersonID: p, EnrolledOn: cp.enrolled[k], Status: domain.EnrolActive}
			if err := tx.AddLearner(ctx, l); err != nil {
				return err
			}
		}
	}
	return nil
}
