package store

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// The funnel counted per unit (issue 15, item 2) gives, for every unit and
// day, what FunnelCounts computes from the cases: the stage of the day
// (DOMAIN §5: source, dossier, votes, decision, probation), the sources
// sent to an awareness class (HD06 §3.1: the class before the dossier) and
// holding its certificate, the overdue deadlines and the stalled cases,
// the sources without a case and those in the pool for more than six
// months not sent to a class (the classes report's alert) —
// through class enrolments and their withdrawal, a class cancelled, a
// verification, deadlines set and ended, a transfer and a move of the
// chapter; and a rebuild writes the same rows.
func TestFunnelCountsFollowTheFacts(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "huyen", 0)
	xa := mkOrg(t, st, "xa", root.ID)
	xb := mkOrg(t, st, "xb", root.ID)
	a := mkOrg(t, st, "cb-a", xa.ID)
	b := mkOrg(t, st, "cb-b", xb.ID)
	seq := 0
	mk := func(org int64, stage string, opened time.Time) *domain.Case {
		t.Helper()
		seq++
		p := mkPerson(t, st, org, fmt.Sprintf("Đỗ Thị Số%d", seq), "")
		c := &domain.Case{PersonID: p.ID, OrgID: org, Kind: domain.CaseFirst, Stage: stage, StageBefore: domain.StageSource, OpenedOn: opened}
		if err := st.CreateCase(ctx, c, time.Now()); err != nil {
			t.Fatal(err)
		}
		return c
	}
	// 1: a source sent to a class that starts 10/3/2024, then withdrawn from it.
	src := mk(a.ID, domain.CaseSource, d(2024, 1, 5))
	class := mkClass(t, st, "NT-1", domain.ProgAwareness, root.ID, d(2024, 3, 10), d(2024, 3, 14), a.ID, b.ID)
	l := enrolIn(t, st, class, &domain.Person{ID: src.PersonID})
	// 2: a source in the same class, certified 20/3/2024, whose class is later cancelled
	cert := mk(b.ID, domain.CaseSource, d(2024, 1, 5))
	enrolIn(t, st, class, &domain.Person{ID: cert.PersonID})
	cert.CertificateDate = dp(2024, 3, 20)
	if err := st.UpdateCase(ctx, cert, "cấp giấy chứng nhận", time.Now()); err != nil {
		t.Fatal(err)
	}
	// 3: in the dossier from 1/2/2024 with a deadline due 1/4/2024, set on
	// 1/2 and ended on 1/5 (a later step), and a verification sent 1/5.
	dos := mk(a.ID, domain.CaseSource, d(2024, 1, 5))
	dos.Stage, dos.DossierOpened = domain.CaseDossier, dp(2024, 2, 1)
	if err := st.UpdateCase(ctx, dos, "mở hồ sơ", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.SetCaseDeadlines(ctx, dos, []domain.CaseDeadline{{Kind: domain.DeadlineDossierLapse, Due: d(2024, 4, 1), Owner: "chapter", Label: "x"}}, d(2024, 2, 1)); err != nil {
		t.Fatal(err)
	}
	if err := st.SetCaseDeadlines(ctx, dos, nil, d(2024, 5, 1)); err != nil {
		t.Fatal(err)
	}
	if err := st.AddVerification(ctx, &domain.CaseVerification{CaseID: dos.ID, Subject: "lý lịch", Addressee: "xã", SentOn: d(2024, 5, 1), Due: d(2024, 6, 1)}); err != nil {
		t.Fatal(err)
	}
	// 4: chapter voted 10/2/2024 at a, transferred to b on 1/6/2024.
	voted := mk(a.ID, domain.CaseDossier, d(2024, 1, 5))
	voted.DossierOpened = dp(2024, 1, 6)
	if err := st.UpdateCase(ctx, voted, "mở hồ sơ", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.AddVote(ctx, &domain.CaseVote{CaseID: voted.ID, Purpose: domain.PurposeAdmission, Level: domain.LevelChapter, Date: d(2024, 2, 10),
		Members: 9, Present: 9, Yes: 9, Passed: true, RulesID: "2021"}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddTransfer(ctx, &domain.CaseTransfer{CaseID: voted.ID, FromOrgID: a.ID, ToOrgID: b.ID, Date: d(2024, 6, 1), Stage: domain.CaseChapterVoted}); err != nil {
		t.Fatal(err)
	}
	voted.OrgID, voted.Stage = b.ID, domain.CaseChapterVoted
	if err := st.UpdateCase(ctx, voted, "chuyển", time.Now()); err != nil {
		t.Fatal(err)
	}

	dates := []time.Time{d(2024, 1, 4), d(2024, 1, 5), d(2024, 2, 1), d(2024, 2, 10), d(2024, 3, 1), d(2024, 3, 2), d(2024, 3, 9), d(2024, 3, 10), d(2024, 3, 20),
		d(2024, 4, 1), d(2024, 4, 2), d(2024, 5, 1), d(2024, 5, 2), d(2024, 5, 10), d(2024, 5, 11), d(2024, 5, 12), d(2024, 6, 1), d(2024, 9, 1), d(2025, 1, 1)}
	moved := false
	check := func(when string, want map[string]map[string]int) {
		t.Helper()
		for _, day := range dates {
			rows, err := st.FunnelCounts(ctx, root.Path, FunnelDates{AsOf: day, StaleBefore: day.AddDate(0, 0, -FunnelStaleDays)})
			if err != nil {
				t.Fatal(err)
			}
			fromCases := map[int64]map[string]int{}
			// the commune of a chapter (or a path under it) that day
			commune := func(org int64, path string) int64 {
				switch {
				case org == a.ID && (!moved || day.Before(d(2024, 7, 1))):
					return xa.ID
				case org == a.ID, org == b.ID:
					return xb.ID
				}
				for _, id := range pathIDs(path) {
					if id == xa.ID || id == xb.ID {
						return id
					}
				}
				return org
			}
			add := func(org int64, m string, n int) {
				for _, id := range []int64{root.ID, org} {
					if fromCases[id] == nil {
						fromCases[id] = map[string]int{}
					}
					fromCases[id][m] += n
				}
			}
			for _, r := range rows {
				org := commune(r.OrgID, "")
				add(org, r.Stage, r.N)
				if r.Stage == domain.CaseSource && r.Certified {
					add(org, FunnelCertified, r.N)
				}
				if r.Stage == domain.CaseSource && r.InClass {
					add(org, FunnelInClass, r.N)
				}
				if r.Overdue {
					add(org, FunnelOverdue, r.N)
				}
				movable := r.Stage == domain.CaseDossier || r.Stage == domain.CaseChapterVoted
				if r.Overdue || movable && r.Stale {
					add(org, FunnelStalled, r.N)
				}
			}
			// the people: sources without a case, and not sent to a class
			loose, paths, err := st.SourcesWithoutCase(ctx, root.Path, day)
			if err != nil {
				t.Fatal(err)
			}
			for org, n := range loose {
				add(commune(org, paths[org]), FunnelLoose, n)
			}
			notSent, err := st.SourcesNotSentByOrg(ctx, root.Path, NotSentCutoff(day), day)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range notSent {
				add(commune(c.OrgID, c.Path), FunnelNotSent, c.Count)
			}
			// the deadline counts of "Việc cần làm" under each unit
			for _, u := range []*domain.Org{root, xa, xb} {
				_, path, err := st.PlaceOn(ctx, u.ID, day)
				if err != nil {
					t.Fatal(err)
				}
				todo, err := st.TodoCounts(ctx, path, day, day.AddDate(0, 0, TodoDays))
				if err != nil {
					t.Fatal(err)
				}
				for kind, n := range todo {
					if fromCases[u.ID] == nil {
						fromCases[u.ID] = map[string]int{}
					}
					for m, v := range map[string]int{TodoOverdue + kind: n[0], TodoDue + kind: n[1]} {
						if v > 0 {
							fromCases[u.ID][m] = v
						}
					}
				}
			}
			counted, err := st.FunnelTotals(ctx, []int64{root.ID, xa.ID, xb.ID}, day)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.EqualFunc(counted, fromCases, maps.Equal) {
				t.Errorf("%s, as of %s: counted %v; from the cases %v", when, day.Format(domain.DateLayout), counted, fromCases)
			}
			if w, ok := want[day.Format(domain.DateLayout)]; ok {
				got := maps.Clone(counted[root.ID])
				maps.DeleteFunc(got, func(m string, _ int) bool {
					_, ok := w[m]
					return !ok && strings.HasPrefix(m, "+todo_") // the deadline counts when the want leaves them out
				})
				if !maps.Equal(got, w) {
					t.Errorf("%s, as of %s: %v; want %v", when, day.Format(domain.DateLayout), got, w)
				}
			}
		}
	}
	// the first source entered the pool on 1/6/2023: not sent to a class
	// from 1/12/2023 (more than six months) until its class starts
	if err := st.SetSourceSince(ctx, src.PersonID, d(2023, 6, 1)); err != nil {
		t.Fatal(err)
	}
	dates = append(dates, d(2023, 12, 1), d(2023, 12, 2))
	check("enrolled", map[string]map[string]int{
		// before their cases opened, the four were sources without one
		"2024-01-04": {FunnelLoose: 4, FunnelNotSent: 1},
		"2023-12-01": {FunnelLoose: 4},
		"2023-12-02": {FunnelLoose: 4, FunnelNotSent: 1},
		"2024-01-05": {"source": 4, FunnelNotSent: 1},
		"2024-03-09": {"source": 2, "dossier": 1, "chapter_voted": 1, FunnelNotSent: 1},
		"2024-02-01": {"source": 2, "dossier": 2, FunnelNotSent: 1},
		"2024-03-10": {"source": 2, FunnelInClass: 2, "dossier": 1, "chapter_voted": 1},
		"2024-03-20": {"source": 2, FunnelInClass: 2, FunnelCertified: 1, "dossier": 1, "chapter_voted": 1},
		"2024-04-02": {"source": 2, FunnelInClass: 2, FunnelCertified: 1, "dossier": 1, "chapter_voted": 1, FunnelOverdue: 1, FunnelStalled: 1,
			TodoOverdue + domain.DeadlineDossierLapse: 1, TodoDue + domain.DeadlineDossierLapse: 1},
		// the dossier's deadline of 1/4 is due within 30 days from 2/3
		"2024-03-01": {"source": 2, "dossier": 1, "chapter_voted": 1, FunnelNotSent: 1},
		"2024-03-02": {"source": 2, "dossier": 1, "chapter_voted": 1, FunnelNotSent: 1, TodoDue + domain.DeadlineDossierLapse: 1},
		// the deadline ended on 1/5; the dossier's last step (1/2) is 90 days old
		"2024-05-01": {"source": 2, FunnelInClass: 2, FunnelCertified: 1, "dossier": 1, "chapter_voted": 1},
		"2024-05-10": {"source": 2, FunnelInClass: 2, FunnelCertified: 1, "dossier": 1, "chapter_voted": 1, FunnelStalled: 1},
		// the vote of 10/2 is more than 90 days old on 11/5: both stall
		"2024-05-11": {"source": 2, FunnelInClass: 2, FunnelCertified: 1, "dossier": 1, "chapter_voted": 1, FunnelStalled: 2},
	})
	// withdrawn from the class, then the class cancelled: nobody was sent
	l.Status = domain.EnrolWithdrawn
	if err := st.SaveLearner(ctx, l); err != nil {
		t.Fatal(err)
	}
	// (and the first source is not sent to a class again)
	check("withdrawn", map[string]map[string]int{"2024-03-20": {"source": 2, FunnelInClass: 1, FunnelCertified: 1, "dossier": 1, "chapter_voted": 1, FunnelNotSent: 1}})
	class.Status = domain.ClassCancelled
	if err := st.UpdateClass(ctx, class); err != nil {
		t.Fatal(err)
	}
	check("cancelled", map[string]map[string]int{"2024-03-20": {"source": 2, FunnelCertified: 1, "dossier": 1, "chapter_voted": 1, FunnelNotSent: 1}})
	// the chapter moves from xa to xb on 1/7/2024: before, its cases count under xa
	if err := st.MoveOrg(ctx, a.ID, xb.ID, d(2024, 7, 1)); err != nil {
		t.Fatal(err)
	}
	dates, moved = append(dates, d(2024, 7, 1)), true
	check("moved", nil)
	if got, err := st.FunnelTotals(ctx, []int64{xa.ID, xb.ID}, d(2024, 7, 1)); err != nil || got[xa.ID] != nil || got[xb.ID]["source"] != 2 {
		t.Errorf("after the move of 1/7/2024: %v %v; want every case under xb", got, err)
	}
	before, err := st.FunnelCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RebuildAdmissionCounts(ctx, nil); err != nil {
		t.Fatal(err)
	}
	after, err := st.FunnelCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) || len(after) == 0 {
		t.Errorf("maintained funnel rows differ from the rebuild:\n%v\n%v", before, after)
	}
}
