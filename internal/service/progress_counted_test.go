package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"ketnap/internal/api"
	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
)

// The counts maintained per unit (issue 15, item 2) against the
// computation from scratch: after a random sequence of paper admissions,
// cases taken past the chapter vote, decided, withdrawn, refused by the
// committee, paused or transferred to another chapter, corrections of
// decision and vote dates and reorganisations (merges and moves of
// chapters and of communes), the counts written in each transaction (the
// admissions, and the cases' time in the pipeline with its counts) equal
// a rebuild, and every unit's progress report (its admissions and its
// pipeline), for every month's end and the days around each
// reorganisation, in the as-of year and the year before, is the one
// computed from the whole subtree.
func TestCountsMatchFromScratch(t *testing.T) {
	seeds := uint64(2)
	if os.Getenv("KETNAP_TEST_POSTGRES") != "" {
		seeds = 1 // CI's budget: the same SQL on the other engine, whose run takes both seeds
	}
	for seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { countsProperty(t, seed) })
	}
}

func countsProperty(t *testing.T, seed uint64) {
	w := newCaseWorld(t)
	svc, ctx := w.svc, w.ctx
	rng := rand.New(rand.NewPCG(seed, 15))
	for _, o := range []struct {
		code, name string
		kind       domain.OrgKind
		parent     string
	}{{"xa-b", "Đảng bộ xã B", domain.KindGrassroots, "huyen"}, {"cb-b1", "Chi bộ thôn B1", domain.KindChapter, "xa-b"},
		{"cb-b2", "Chi bộ thôn B2", domain.KindChapter, "xa-b"}, {"xa-c", "Đảng bộ xã C", domain.KindGrassroots, "huyen"},
		{"cb-c1", "Chi bộ thôn C1", domain.KindChapter, "xa-c"}} {
		if _, err := svc.CreateOrg(ctx, service.OrgInput{Code: o.code, Name: o.name, Kind: o.kind, Sector: "commune", ParentCode: o.parent,
			ValidFrom: day(2020, 1, 1), YouthUnion: new(false)}); err != nil {
			t.Fatal(err)
		}
		if o.kind == domain.KindGrassroots {
			if err := svc.SetAuthority(ctx, o.code, domain.Authority{ValidFrom: day(2020, 1, 1), GrassrootsLevel: true}, "huyen", "ghi lại thẩm quyền"); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, code := range []string{"huyen", "xa-eakly", "xa-b"} {
		setTarget(t, svc, ctx, code, 2024, domain.TargetQuota, 10+rng.IntN(10), dayp(2024, 9, 30))
	}
	setTarget(t, svc, ctx, "cb-b1", 2024, domain.TargetPlan, 3, nil)
	setTarget(t, svc, ctx, "xa-c", 2025, domain.TargetQuota, 5, dayp(2025, 12, 31))

	// the villages the people live in: with a chapter of their own or none
	var homes []int64
	for _, v := range []struct{ commune, code, name, chapter string }{{"xa-eakly", "thon-1", "Thôn 1", "cb-thon1"},
		{"xa-eakly", "thon-2", "Thôn 2", "cb-thon2"}, {"xa-eakly", "buon-ea", "Buôn Ea", ""}, {"xa-b", "thon-b1", "Thôn B1", "cb-b1"},
		{"xa-c", "tdp-c", "Tổ dân phố C", ""}} {
		u, err := svc.AddResidentialUnit(ctx, v.commune, domain.ResidentialUnit{Code: v.code, Name: v.name, Kind: "thon"}, v.chapter)
		if err != nil {
			t.Fatal(err)
		}
		homes = append(homes, u.ID)
	}
	chapters := []string{"cb-thon1", "cb-thon2", "cb-thpt", "cb-b1", "cb-b2", "cb-c1"}
	communes := []string{"xa-eakly", "xa-b", "xa-c"}
	open := func(code string, on time.Time) bool {
		o, err := svc.Org(ctx, code)
		return err == nil && o.OpenOn(on)
	}
	// cases past the chapter vote, in 2024, to decide or withdraw
	var cases []*service.CaseView
	for i := range len(chapters) {
		start := day(2023, time.Month(1+i%4), 10)
		c := w.dossier(w.person(chapters[i], domain.StageSource, day(1998, 5, 5)), start, 2)
		vd := day(2024, time.Month(1+i%4), 20)
		w.clock(vd.Year(), vd.Month(), vd.Day())
		cases = append(cases, w.must(svc.Vote(ctx, c.ID, domain.PurposeAdmission, chapterVote(vd, 10, c.Version))))
	}
	reorgDay := day(2024, 3, 1) // reorganisations go in date order
	var reorgDays []time.Time
	st := service.StoreOf(svc)
	done := map[string]int{}
	pickCase := func() *service.CaseView {
		if len(cases) == 0 {
			return nil
		}
		return w.view(cases[rng.IntN(len(cases))].ID)
	}
	// the people's homes and memberships change with draws of their own,
	// so that the rest of the sequence is the one each seed always gave
	homeRng := rand.New(rand.NewPCG(seed, 26))
	// someone of the world, by the order of their records
	pickPerson := func() *domain.Person {
		var n int
		if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM people`).Scan(&n); err != nil || n == 0 {
			return nil
		}
		var id int64
		if err := st.DB().QueryRowContext(ctx, `SELECT id FROM people ORDER BY id LIMIT 1 OFFSET `+fmt.Sprint(homeRng.IntN(n))).Scan(&id); err != nil {
			t.Fatal(err)
		}
		p, _, err := st.GetPerson(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for step := range 70 {
		switch homeRng.IntN(6) {
		case 0: // someone moves house (or their village is no longer recorded)
			p := pickPerson()
			if p == nil {
				continue
			}
			p.ResidenceID = 0
			if k := homeRng.IntN(len(homes) + 1); k < len(homes) {
				p.ResidenceID = homes[k]
			}
			if err := st.UpdatePerson(ctx, p, day(2026, 6, 30)); err != nil {
				t.Fatal(err)
			}
			done["moved house"]++
		case 1: // a membership ends (struck off, or the member died)
			var id int64
			if err := st.DB().QueryRowContext(ctx, `SELECT COALESCE(MAX(person_id), 0) FROM memberships WHERE end_date IS NULL`).Scan(&id); err != nil {
				t.Fatal(err)
			}
			ms, err := st.Memberships(ctx, id)
			if err != nil || len(ms) == 0 {
				continue
			}
			m := ms[len(ms)-1]
			end := m.DecisionDate.AddDate(0, 0, 30+homeRng.IntN(400))
			m.EndDate = &end
			if err := st.UpdateMembership(ctx, m); err != nil {
				t.Fatal(err)
			}
			done["membership ended"]++
		}
		switch op := rng.IntN(14); {
		case op == 9: // a new case taken past the chapter vote
			code := chapters[rng.IntN(len(chapters))]
			start := day(2023, time.Month(1+rng.IntN(10)), 10)
			vd := day(2024, time.Month(1+rng.IntN(10)), 1+rng.IntN(27))
			w.clock(2026, 6, 30)
			if !open(code, start) || !open(code, vd) || !open(code, day(2026, 6, 30)) {
				continue
			}
			c := w.dossier(w.person(code, domain.StageSource, day(1998, 5, 5)), start, 2)
			w.clock(vd.Year(), vd.Month(), vd.Day())
			if c2, err := svc.Vote(ctx, c.ID, domain.PurposeAdmission, chapterVote(vd, 10, c.Version)); err == nil {
				cases = append(cases, c2)
				done["voted"]++
			}
		case op == 10: // a case transferred to another chapter
			c := pickCase()
			to := chapters[rng.IntN(len(chapters))]
			d := day(2024, 2, 1).AddDate(0, 0, rng.IntN(500))
			if c == nil || c.ClosedOn != nil || !open(to, d) || !open(to, day(2026, 6, 30)) {
				continue
			}
			w.clock(d.Year(), d.Month(), d.Day())
			if _, err := svc.TransferCase(ctx, c.ID, service.TransferInput{ToOrgCode: to, Date: d, Reason: "Chuyển nơi sinh hoạt", Version: c.Version}); err == nil {
				done["transferred"]++
			}
		case op == 11: // a committee refusing the admission (a failed vote)
			c := pickCase()
			if c == nil || c.ClosedOn != nil {
				continue
			}
			d := day(2024, 4, 1).AddDate(0, 0, rng.IntN(200))
			w.clock(d.Year(), d.Month(), d.Day())
			if _, err := svc.Vote(ctx, c.ID, domain.PurposeAdmission, committeeVote(d, 2, c.Version)); err == nil {
				done["failed vote"]++
			}
		case op == 12: // a chapter vote's date corrected
			c := pickCase()
			if c == nil {
				continue
			}
			for _, v := range c.Votes {
				if v.Purpose == domain.PurposeAdmission && v.Level == domain.LevelChapter {
					d := v.Date.AddDate(0, 0, rng.IntN(80)-40)
					w.clock(2026, 6, 30)
					if _, err := svc.CorrectCase(ctx, c.ID, service.CorrectionInput{Target: domain.CorrectVote, ID: v.ID, Date: &d,
						Reason: "Ghi nhầm ngày biểu quyết theo biên bản", Version: c.Version}); err == nil {
						done["vote corrected"]++
					}
					break
				}
			}
		case op == 13: // a case paused
			c := pickCase()
			if c == nil || c.ClosedOn != nil {
				continue
			}
			d := day(2024, 5, 1).AddDate(0, 0, rng.IntN(100))
			w.clock(d.Year(), d.Month(), d.Day())
			if _, err := svc.PauseCase(ctx, c.ID, service.CloseInput{Date: d, Reason: "Tạm dừng để xác minh", Version: c.Version}); err == nil {
				done["paused"]++
			}
		case op <= 4: // a paper admission
			code := chapters[rng.IntN(len(chapters))]
			d := day(2023, 10, 1).AddDate(0, 0, rng.IntN(600))
			w.clock(2026, 6, 30)
			if open(code, d) && open(code, day(2026, 6, 30)) {
				admitAt(t, svc, ctx, code, d)
				// most of them live in a village of the world
				if k := homeRng.IntN(len(homes) + 1); k < len(homes) {
					var id int64
					if err := st.DB().QueryRowContext(ctx, `SELECT MAX(id) FROM people`).Scan(&id); err != nil {
						t.Fatal(err)
					}
					p, _, err := st.GetPerson(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					p.ResidenceID = homes[k]
					if err := st.UpdatePerson(ctx, p, day(2026, 6, 30)); err != nil {
						t.Fatal(err)
					}
				}
			}
		case op == 5 && len(cases) > 0: // a case decided or withdrawn
			i := rng.IntN(len(cases))
			c := w.view(cases[i].ID)
			cases = slices.Delete(cases, i, i+1)
			d := day(2024, 6, 1).AddDate(0, 0, rng.IntN(60))
			w.clock(d.Year(), d.Month(), d.Day())
			if rng.IntN(2) == 0 {
				_, _ = svc.WithdrawCase(ctx, c.ID, service.CloseInput{Date: d, Reason: "Xin rút", Version: c.Version})
				continue
			}
			if c2, err := svc.Vote(ctx, c.ID, domain.PurposeAdmission, committeeVote(d, 8, c.Version)); err == nil {
				d2 := d.AddDate(0, 0, 5)
				w.clock(d2.Year(), d2.Month(), d2.Day())
				_, _ = svc.Decide(ctx, c.ID, domain.PurposeAdmission, decision(fmt.Sprint("QĐ-", c.ID), d2, nil, 6, c2.Version))
			}
		case op == 6: // a decision date corrected
			var ids []int64
			if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships`).Scan(new(int)); err != nil {
				t.Fatal(err)
			}
			rows, err := st.DB().QueryContext(ctx, `SELECT person_id FROM memberships ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			rows.Close()
			if len(ids) == 0 {
				continue
			}
			ms, err := st.Memberships(ctx, ids[rng.IntN(len(ids))])
			if err != nil || len(ms) == 0 {
				t.Fatal(ms, err)
			}
			m := ms[0]
			m.DecisionDate = m.DecisionDate.AddDate(0, 0, rng.IntN(90)-45)
			if err := st.UpdateMembership(ctx, m); err != nil {
				t.Fatal(err)
			}
		default: // a reorganisation: a chapter or a commune merged or moved
			reorgDay = reorgDay.AddDate(0, 0, 20+rng.IntN(60))
			plan := &domain.ReorgPlan{Date: reorgDay.Format(domain.DateLayout), Decision: fmt.Sprint("QĐ sắp xếp ", step)}
			pick := func(list []string, not string) string {
				var ok []string
				for _, c := range list {
					if c != not && open(c, reorgDay) && open(c, day(2026, 6, 30)) {
						ok = append(ok, c)
					}
				}
				if len(ok) == 0 {
					return ""
				}
				return ok[rng.IntN(len(ok))]
			}
			list := chapters
			if rng.IntN(3) == 0 {
				list = communes
			}
			a := pick(list, "")
			b := pick(list, a)
			if a == "" || b == "" {
				continue
			}
			if rng.IntN(2) == 0 {
				plan.Merge = []domain.ReorgMerge{{From: []string{a}, Into: b}}
			} else if to := pick(communes, ""); slices.Contains(chapters, a) && to != "" {
				plan.Move = []domain.ReorgMove{{Unit: a, To: to}}
			} else {
				continue
			}
			w.clock(reorgDay.Year(), reorgDay.Month(), reorgDay.Day())
			if res, err := svc.ApplyReorg(ctx, plan, service.ReorgOptions{}); err == nil && len(res.Problems) == 0 {
				reorgDays = append(reorgDays, reorgDay)
				done[map[bool]string{true: "merged", false: "moved"}[plan.Merge != nil]]++
			}
		}
	}
	w.clock(2026, 6, 30)

	// the counts written along the way are those a rebuild computes
	before, err := st.AdmissionCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pipeBefore, err := st.PipelineCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	funnelBefore, err := st.FunnelCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	residentsBefore, err := st.ResidenceMemberRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RebuildCounts(ctx, nil); err != nil {
		t.Fatal(err)
	}
	after, err := st.AdmissionCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(before, after) {
		t.Errorf("maintained counts (%d rows) differ from the rebuild (%d rows)", len(before), len(after))
		for i := range min(len(before), len(after)) {
			if before[i] != after[i] {
				t.Errorf("first difference: maintained %v, rebuilt %v", before[i], after[i])
				break
			}
		}
	}
	if len(after) == 0 {
		t.Fatal("nothing counted")
	}
	pipeAfter, err := st.PipelineCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pipeBefore, pipeAfter) {
		t.Errorf("maintained pipeline (%d rows) differs from the rebuild (%d rows)", len(pipeBefore), len(pipeAfter))
		for i := range max(len(pipeBefore), len(pipeAfter)) {
			if i >= len(pipeBefore) || i >= len(pipeAfter) || pipeBefore[i] != pipeAfter[i] {
				var m, r any
				if i < len(pipeBefore) {
					m = pipeBefore[i]
				}
				if i < len(pipeAfter) {
					r = pipeAfter[i]
				}
				t.Errorf("first difference: maintained %v, rebuilt %v", m, r)
				break
			}
		}
	}
	if len(pipeAfter) == 0 {
		t.Fatal("no case counted in the pipeline")
	}
	funnelAfter, err := st.FunnelCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if i := firstDiff(funnelBefore, funnelAfter); i >= 0 {
		t.Errorf("maintained funnel (%d rows) differs from the rebuild (%d rows) at row %d: maintained %q, rebuilt %q",
			len(funnelBefore), len(funnelAfter), i, at(funnelBefore, i), at(funnelAfter, i))
	}
	residentsAfter, err := st.ResidenceMemberRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if i := firstDiff(residentsBefore, residentsAfter); i >= 0 {
		t.Errorf("maintained village members (%d rows) differ from the rebuild (%d rows) at row %d: maintained %q, rebuilt %q",
			len(residentsBefore), len(residentsAfter), i, at(residentsBefore, i), at(residentsAfter, i))
	}

	// every unit's report, every month's end, around each reorganisation
	// and around each day a case entered or left the pipeline or moved
	var dates []time.Time
	for d := day(2024, 1, 31); d.Before(day(2026, 7, 1)); d = d.AddDate(0, 1, 0) {
		dates = append(dates, domain.Day(d.Year(), d.Month()+1, 0))
	}
	for _, r := range reorgDays {
		dates = append(dates, r.AddDate(0, 0, -1), r)
	}
	// and the days a deadline was set, ended or fell due (the funnel's overdue)
	rows, err := st.DB().QueryContext(ctx, `SELECT date FROM case_votes UNION SELECT date FROM case_transfers
		UNION SELECT decision_date FROM memberships UNION SELECT end_date FROM memberships WHERE end_date IS NOT NULL
		UNION SELECT closed_on FROM cases WHERE closed_on IS NOT NULL UNION SELECT decision_date FROM cases WHERE decision_date IS NOT NULL
		UNION SELECT due FROM case_deadlines UNION SELECT valid_from FROM case_deadlines WHERE valid_from IS NOT NULL
		UNION SELECT valid_to FROM case_deadlines WHERE valid_to IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		d, ok := v.(time.Time) // PostgreSQL; SQLite gives the text
		if !ok {
			var err error
			if d, err = time.Parse(domain.DateLayout, fmt.Sprintf("%s", v)[:10]); err != nil {
				t.Fatal(err)
			}
		}
		d = domain.DateOf(d)
		if d.Before(day(2026, 7, 1)) {
			// the day before, the day, the day after; and the days a step
			// of that day leaves a case stalled (service.DefaultStaleDays)
			dates = append(dates, d.AddDate(0, 0, -1), d, d.AddDate(0, 0, 1), d.AddDate(0, 0, service.DefaultStaleDays), d.AddDate(0, 0, service.DefaultStaleDays+1))
		}
	}
	rows.Close()
	slices.SortFunc(dates, func(a, b time.Time) int { return a.Compare(b) })
	dates = slices.Compact(dates)
	codes := append(append([]string{"huyen", "xa-eakly", "xa-b", "xa-c"}, chapters...), "")
	compared, admitted, pipelined, funnels, staged, overdue, stalled, deadlines, notSent, residents, todos, listed := 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
	for ci, code := range codes {
		for di, asof := range dates {
			for _, year := range []int{asof.Year(), asof.Year() - 1} {
				q := service.ReportQuery{OrgCode: code, Year: year, AsOf: asof}
				want, errWant := svc.Progress(service.FromScratch(ctx), q)
				got, errGot := svc.Progress(ctx, q)
				if (errWant == nil) != (errGot == nil) {
					t.Fatalf("%s %d as of %s: from scratch %v, counted %v", code, year, asof.Format(domain.DateLayout), errWant, errGot)
				}
				if errWant != nil {
					continue
				}
				wj, gj := progressText(want), progressText(got)
				if wj != gj {
					t.Fatalf("%s %d as of %s:\nfrom scratch %s\ncounted      %s", code, year, asof.Format(domain.DateLayout), wj, gj)
				}
				compared++
				admitted += want.Admitted
				pipelined += want.Pipeline
			}
			// the funnel of the day: its stages, flags and pipeline from the
			// counts kept per unit, against those from the cases
			fq := service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: code, Year: asof.Year(), AsOf: asof}}
			want, errWant := svc.Funnel(service.FromScratch(ctx), fq)
			got, errGot := svc.Funnel(ctx, fq)
			if (errWant == nil) != (errGot == nil) {
				t.Fatalf("funnel of %s as of %s: from scratch %v, counted %v", code, asof.Format(domain.DateLayout), errWant, errGot)
			}
			if errWant != nil {
				continue
			}
			if wj, gj := funnelText(want), funnelText(got); wj != gj {
				t.Fatalf("funnel of %s as of %s:\nfrom scratch %s\ncounted      %s", code, asof.Format(domain.DateLayout), wj, gj)
			}
			funnels++
			// the deadline counts of "Việc cần làm" (the dashboard's); "" is
			// the user's scope, the whole system
			{
				wantTodo, err1 := svc.TodoCounts(service.FromScratch(ctx), code, 30, asof)
				gotTodo, err2 := svc.TodoCounts(ctx, code, 30, asof)
				if err1 != nil || err2 != nil || !slices.Equal(wantTodo, gotTodo) {
					t.Fatalf("deadlines of %s as of %s: from scratch %v %v, counted %v %v", code, asof.Format(domain.DateLayout), wantTodo, err1, gotTodo, err2)
				}
				for _, c := range wantTodo {
					deadlines += c.Due
				}
			}
			// the to-do list's totals (all, overdue, of one kind)
			for _, tq := range []service.TodoQuery{{OrgCode: code, AsOf: asof}, {OrgCode: code, AsOf: asof, Overdue: true},
				{OrgCode: code, AsOf: asof, Kinds: []string{domain.DeadlineDecision}}} {
				want, err1 := svc.Todo(service.FromScratch(ctx), tq)
				got, err2 := svc.Todo(ctx, tq)
				if err1 != nil || err2 != nil || want.Total != got.Total || fmt.Sprint(todoKeys(want)) != fmt.Sprint(todoKeys(got)) {
					t.Fatalf("to-do %+v: from scratch %v %v, counted %v %v", tq, todoKeys(want), err1, todoKeys(got), err2)
				}
				todos += len(got.Items)
			}
			// the case lists: a large scope walks the candidates in name
			// order, the computation from scratch sorts them; a page of 7,
			// on every fifth day
			for _, cq := range []service.CaseQuery{{OrgCode: code, Open: true}, {OrgCode: code, Open: true, Overdue: true},
				{OrgCode: code, Stages: []string{domain.CaseChapterVoted, domain.CaseDossier}, Query: "nguyen", Page: 2}} {
				if di%5 != ci%5 {
					break
				}
				cq.AsOf, cq.PerPage = asof, 7
				want, err1 := svc.Cases(service.FromScratch(ctx), cq)
				got, err2 := svc.Cases(ctx, cq)
				if err1 != nil || err2 != nil || want.Total != got.Total || fmt.Sprint(caseKeys(want)) != fmt.Sprint(caseKeys(got)) {
					t.Fatalf("cases %+v: from scratch %v %v, walked %v %v", cq, caseKeys(want), err1, caseKeys(got), err2)
				}
				listed += len(got.Cases)
			}
			// the dashboard's sources not sent to a class, per unit
			wantNS, err1 := svc.SourcesNotSentByUnit(service.FromScratch(ctx), fq.ReportQuery, 0)
			gotNS, err2 := svc.SourcesNotSentByUnit(ctx, fq.ReportQuery, 0)
			if (err1 == nil) != (err2 == nil) || !slices.Equal(wantNS, gotNS) {
				t.Fatalf("sources not sent under %s as of %s: from scratch %v %v, counted %v %v", code, asof.Format(domain.DateLayout), wantNS, err1, gotNS, err2)
			}
			for _, c := range wantNS {
				notSent += c.Count
			}
			// the villages' members on the day (the breakdowns' lines), of
			// the whole district once a day
			if code == "huyen" {
				wantR, err1 := st.ResidenceMembers(ctx, "/", asof, false)
				gotR, err2 := st.ResidenceMembers(ctx, "/", asof, true)
				if err1 != nil || err2 != nil || fmt.Sprint(wantR) != fmt.Sprint(gotR) {
					t.Fatalf("villages as of %s:\nfrom the people %v %v\ncounted         %v %v", asof.Format(domain.DateLayout), wantR, err1, gotR, err2)
				}
				for _, r := range wantR {
					residents += r.Members
				}
			}
			staged += want.Unit.Counts[domain.CaseChapterVoted] + want.Unit.Counts[domain.CaseDossier]
			overdue += want.Unit.Overdue
			stalled += want.Unit.Stalled
		}
	}
	t.Logf("compared %d reports (%d admitted, %d in the pipeline in all) and %d funnels (%d cases voted or in the dossier, %d overdue, %d stalled, %d deadlines due, %d sources not sent, %d village members, %d to-do items and %d cases listed), %d reorganisations, %v, %d count rows, %d pipeline rows, %d funnel rows, %d village rows",
		compared, admitted, pipelined, funnels, staged, overdue, stalled, deadlines, notSent, residents, todos, listed, len(reorgDays), done, len(after), len(pipeAfter), len(funnelAfter), len(residentsAfter))
	if compared < 100 || admitted == 0 || pipelined == 0 || funnels < 100 || staged == 0 || overdue == 0 || stalled == 0 || deadlines == 0 || notSent == 0 || residents == 0 || todos == 0 || listed == 0 ||
		len(reorgDays) == 0 || done["transferred"] == 0 || done["voted"] == 0 || done["moved house"] == 0 || done["membership ended"] == 0 {
		t.Fatalf("compared %d reports, %d admitted, %d in the pipeline, %d reorganisations, %v: the sequence tried too little",
			compared, admitted, pipelined, len(reorgDays), done)
	}
}

// progressText is what a report shows: its JSON (CONTRACT "Progress"),
// the lost admissions and the pipeline.
func progressText(p *service.Progress) string {
	b, _ := json.Marshal(api.NewProgressJSON(p))
	pipe := []int{p.Pipeline}
	for _, c := range p.Children {
		pipe = append(pipe, c.Pipeline, c.Recorded)
	}
	return fmt.Sprintf("%s lost %d pipeline %v", b, p.Lost, pipe)
}

// funnelText is what a funnel shows: its JSON (CONTRACT "Funnel").
func funnelText(f *service.Funnel) string {
	b, _ := json.Marshal(api.NewFunnelJSON(f))
	return string(b)
}

// firstDiff is the first index where a and b differ, -1 if none.
func firstDiff(a, b []string) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) || i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return -1
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return "(none)"
}

// todoKeys is a to-do page as the test compares it: each deadline's case,
// kind and due date, in the page's order.
func todoKeys(p *service.TodoPage) []string {
	var out []string
	for _, r := range p.Items {
		out = append(out, fmt.Sprintf("%d %s %s", r.CaseID, r.Kind, r.Due.Format(domain.DateLayout)))
	}
	return out
}

// caseKeys is a page of cases as the test compares it: each case with its
// unit and stage, in the page's order.
func caseKeys(p *service.CasePage) []string {
	var out []string
	for _, c := range p.Cases {
		out = append(out, fmt.Sprintf("%d@%s:%s", c.ID, c.OrgCode, c.Stage))
	}
	return out
}

// While a bulk load defers the funnel's counts (store.DeferFunnel), the
// funnel, the deadline counts and the to-do total are counted from the
// cases: a case opened meanwhile shows at once, and the counts filled at
// the end give the same.
func TestFunnelWhileCountsDeferred(t *testing.T) {
	w := newCaseWorld(t)
	svc, ctx := w.svc, w.ctx
	st := service.StoreOf(svc)
	w.dossier(w.person("cb-thon1", domain.StageSource, day(1998, 5, 5)), day(2024, 1, 10), 2)
	if err := st.DeferFunnel(ctx); err != nil {
		t.Fatal(err)
	}
	w.dossier(w.person("cb-thon2", domain.StageSource, day(1999, 6, 6)), day(2024, 2, 10), 2)
	asof := day(2024, 6, 30)
	w.clock(2024, 6, 30)
	dossiers := 0
	look := func(ctx context.Context) string {
		t.Helper()
		f, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "huyen", Year: 2024, AsOf: asof}})
		if err != nil {
			t.Fatal(err)
		}
		todo, err := svc.TodoCounts(ctx, "huyen", 30, asof)
		if err != nil {
			t.Fatal(err)
		}
		page, err := svc.Todo(ctx, service.TodoQuery{OrgCode: "huyen", AsOf: asof})
		if err != nil {
			t.Fatal(err)
		}
		dossiers = f.Unit.Counts[domain.CaseDossier]
		return fmt.Sprintf("%s\ndeadlines %v, to-do total %d", funnelText(f), todo, page.Total)
	}
	want := look(service.FromScratch(ctx))
	if dossiers != 2 {
		t.Fatalf("from the cases, %d in the dossier, want 2 (one opened while deferred):\n%s", dossiers, want)
	}
	if got := look(ctx); got != want {
		t.Errorf("while deferred:\n%s\nwant (from the cases)\n%s", got, want)
	}
	if err := st.FillFunnel(ctx); err != nil {
		t.Fatal(err)
	}
	if got := look(ctx); got != want {
		t.Errorf("after the fill:\n%s\nwant\n%s", got, want)
	}
}

// A case list past store.CountCap says "more" and always offers the page
// after a full one; below it, the pages are counted.
func TestCasePagesPastTheCap(t *testing.T) {
	full := make([]domain.CaseRow, 50)
	for _, c := range []struct {
		page service.CasePage
		want int
	}{
		{service.CasePage{Total: 120, Page: 1, PerPage: 50, Cases: full}, 3},
		{service.CasePage{Total: store.CountCap, More: true, Page: 1, PerPage: 50, Cases: full}, store.CountCap/50 + 1},
		{service.CasePage{Total: store.CountCap, More: true, Page: 230, PerPage: 50, Cases: full}, 231},
		{service.CasePage{Total: store.CountCap, More: true, Page: 231, PerPage: 50, Cases: full[:3]}, 231},
	} {
		if got := c.page.Pages(); got != c.want {
			t.Errorf("page %d of %d (more %v, %d rows): %d pages, want %d", c.page.Page, c.page.Total, c.page.More, len(c.page.Cases), got, c.want)
		}
	}
}
