package service_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// reorgWorld is caseWorld's district on the eve of 1/7/2025, with what a
// reorganisation must carry: an enterprise grassroots committee (its own
// authority record names the district), a village and a school of the
// commune, a user bound to the commune, and open cases in its chapters.
type reorgWorld struct {
	*caseWorld
	voted  *service.CaseView // cb-thon1: chapter vote of 10/7/2025, before the plan was entered
	open   *service.CaseView // cb-thon2: a case under way
	place  *domain.ResidentialUnit
	school *domain.School
	user   *domain.User
}

func newReorgWorld(t *testing.T) *reorgWorld {
	w := &reorgWorld{caseWorld: newCaseWorld(t)}
	svc, ctx := w.svc, w.ctx
	mkOrg(t, svc, ctx, "dn", "Đảng bộ Công ty Cà phê Phước An", domain.KindGrassroots, "huyen")
	mkOrg(t, svc, ctx, "dn-cb1", "Chi bộ Phân xưởng 1", domain.KindChapter, "dn")
	if err := svc.SetAuthority(ctx, "dn", domain.Authority{ValidFrom: day(2020, 1, 1), GrassrootsLevel: true}, "huyen", "ghi lại thẩm quyền từ hồ sơ giấy"); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.place, err = svc.AddResidentialUnit(ctx, "xa-eakly", domain.ResidentialUnit{Code: "thon-1", Name: "Thôn 1", Kind: "thon"}, "cb-thon1"); err != nil {
		t.Fatal(err)
	}
	eakly, _ := svc.Org(ctx, "xa-eakly")
	w.school = &domain.School{Code: "thcs-eakly", Name: "Trường THCS Ea Kly", Level: "lower_secondary", CommuneID: eakly.ID}
	if err := service.StoreOf(svc).CreateSchool(ctx, w.school); err != nil {
		t.Fatal(err)
	}
	w.user, _ = mkUser(t, svc, ctx, "tochuc-eakly", domain.RoleOrganizer, "xa-eakly")

	p := w.person("cb-thon1", domain.StageSource, day(2003, 5, 1))
	c := w.dossier(p, day(2025, 3, 3), 2)
	w.clock(2025, 7, 15)
	w.voted = w.must(w.svc.Vote(ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2025, 7, 10), 9, c.Version)))
	q := w.person("cb-thon2", domain.StageSource, day(2004, 2, 2))
	helper := w.member("cb-thon2")
	w.open = w.must(w.svc.OpenCase(ctx, service.OpenCaseInput{PersonID: q.ID, HelperID: helper.ID, OpenedOn: day(2025, 6, 2)}))
	w.clock(2025, 8, 1)
	return w
}

// plan is the reorganisation of 1/7/2025: a province above, the commune
// committee replacing the district's grassroots commune, the school's
// chapter and the enterprise committee moved under it, two village
// chapters merged, the district closed.
func reorgPlan() *domain.ReorgPlan {
	return &domain.ReorgPlan{Date: "2025-07-01", Decision: "Quyết định số 1234-QĐ/TU ngày 25/6/2025",
		Create: []domain.ReorgCreate{
			{Code: "xa-moi", Name: "Đảng bộ xã Ea Kly", Kind: domain.KindCommune, Parent: "tinh"},
			{Code: "tinh", Name: "Đảng bộ tỉnh Đắk Lắk", Kind: domain.KindProvince},
		},
		Merge:  []domain.ReorgMerge{{From: []string{"xa-eakly"}, Into: "xa-moi"}, {From: []string{"cb-thon2"}, Into: "cb-thon1"}},
		Move:   []domain.ReorgMove{{Unit: "cb-thpt", To: "xa-moi"}, {Unit: "dn", To: "xa-moi"}},
		Rename: []domain.ReorgRename{{Unit: "cb-thon1", Name: "Chi bộ thôn 1 – 2"}},
		Close:  []domain.ReorgClose{{Unit: "huyen", Successor: "tinh"}},
	}
}

func (w *reorgWorld) apply(p *domain.ReorgPlan, dry bool) *service.ReorgResult {
	w.t.Helper()
	res, err := w.svc.ApplyReorg(w.ctx, p, service.ReorgOptions{DryRun: dry})
	if err != nil {
		w.t.Fatalf("ApplyReorg: %v", err)
	}
	return res
}

func (w *reorgWorld) org(code string) *domain.Org {
	w.t.Helper()
	o, err := w.svc.Org(w.ctx, code)
	if err != nil {
		w.t.Fatalf("Org(%s): %v", code, err)
	}
	return o
}

// storedCase is the case as the store holds it (its next step as last
// computed, not as a view recomputes it).
func (w *reorgWorld) storedCase(id int64) *domain.Case {
	w.t.Helper()
	c, _, err := service.StoreOf(w.svc).GetCase(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// snapshot counts the rows a plan may write, to check that a refused plan
// or a dry run wrote nothing.
func (w *reorgWorld) snapshot() string {
	w.t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT COUNT(*) FROM orgs`, `SELECT COUNT(*) FROM org_links`, `SELECT COUNT(*) FROM orgs WHERE valid_to IS NOT NULL`,
		`SELECT COUNT(*) FROM reorg_plans`, `SELECT COUNT(*) FROM audit_log`, `SELECT COUNT(*) FROM org_authority`,
		`SELECT COALESCE(SUM(org_id), 0) FROM people`, `SELECT COALESCE(SUM(org_id), 0) FROM cases`, `SELECT COALESCE(SUM(version), 0) FROM people`,
		`SELECT COALESCE(SUM(commune_id), 0) FROM residential_units`, `SELECT COALESCE(SUM(commune_id), 0) FROM schools`,
		`SELECT COALESCE(SUM(org_id), 0) FROM users`, `SELECT COALESCE(SUM(version), 0) FROM orgs`, `SELECT COUNT(*) FROM case_deadlines`,
	} {
		var n int64
		if err := service.StoreOf(w.svc).DB().QueryRowContext(w.ctx, q).Scan(&n); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", strings.TrimPrefix(q, "SELECT "), n))
	}
	return strings.Join(out, "; ")
}

func problemTexts(res *service.ReorgResult) string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, fmt.Sprintf("%s#%d %s: %s", p.Operation, p.Item, p.Unit, p.Message))
	}
	return strings.Join(out, "\n")
}

func TestReorgMergeMoveRenameClose(t *testing.T) {
	w := newReorgWorld(t)
	if c := w.storedCase(w.voted.ID); c.NextOwner != domain.OwnerCommittee {
		t.Fatalf("before the plan, cb-thon1's case waits for %s (%q); want the grassroots committee", c.NextOwner, c.NextAction)
	}
	if v := w.view(w.voted.ID); v.Decider == nil || v.Decider.Code != "huyen" {
		t.Fatalf("before the plan the decider is %v; want huyen", v.Decider)
	}
	before := w.snapshot()
	dry := w.apply(reorgPlan(), true)
	if !dry.OK() || dry.Applied || !dry.DryRun {
		t.Fatalf("dry run: applied %v, problems:\n%s", dry.Applied, problemTexts(dry))
	}
	if after := w.snapshot(); after != before {
		t.Fatalf("the dry run wrote:\n%s\n%s", before, after)
	}
	res := w.apply(reorgPlan(), false)
	if !res.OK() || !res.Applied || res.PlanID == 0 {
		t.Fatalf("applied %v, problems:\n%s", res.Applied, problemTexts(res))
	}
	planID := res.PlanID
	// the dry run said what the run did
	dry.DryRun, res.DryRun, dry.Applied, res.Applied, res.PlanID, res.AppliedAt = false, false, true, true, 0, nil
	if a, b := mustJSON(t, dry), mustJSON(t, res); a != b {
		t.Errorf("dry run and run differ:\n%s\n%s", a, b)
	}
	want := service.ReorgOps{Create: 2, Merge: 2, Move: 2, Rename: 1, Close: 1}
	if res.Operations != want {
		t.Errorf("operations %+v, want %+v", res.Operations, want)
	}
	// xa-eakly carries cb-thon1 (cb-thon2 is merged on its own), its
	// village, its school and its user; cb-thon2 its two people and its
	// open case; the moves carry their subtrees.
	tot := res.Totals
	if tot.Units != 1+0+1+2 || tot.People != 4+2 || tot.OpenCases != 1+1 || tot.ResidentialUnits != 1 || tot.Schools != 1 || tot.Users != 1 {
		t.Errorf("totals %+v", tot)
	}
	if tot.Authorities != 1 || tot.CasesRefreshed != 2 {
		t.Errorf("authorities carried %d, cases refreshed %d; want 1 (dn's) and 2", tot.Authorities, tot.CasesRefreshed)
	}

	d := day(2025, 7, 1)
	tinh, moi := w.org("tinh"), w.org("xa-moi")
	if tinh.ParentID != 0 || moi.ParentID != tinh.ID || !moi.ValidFrom.Equal(d) || moi.Sector != "commune" {
		t.Errorf("new units: tinh parent %d, xa-moi parent %d from %v sector %s", tinh.ParentID, moi.ParentID, moi.ValidFrom, moi.Sector)
	}
	for code, succ := range map[string]string{"xa-eakly": "xa-moi", "cb-thon2": "cb-thon1", "huyen": "tinh"} {
		o := w.org(code)
		if o.ValidTo == nil || !o.ValidTo.Equal(d) || o.SuccessorID != w.org(succ).ID {
			t.Errorf("%s: closed %v successor %d; want 2025-07-01 and %s", code, o.ValidTo, o.SuccessorID, succ)
		}
	}
	st := service.StoreOf(w.svc)
	thon1 := w.org("cb-thon1")
	if thon1.Name != "Chi bộ thôn 1 – 2" || thon1.ParentID != moi.ID {
		t.Errorf("cb-thon1: %q under %d", thon1.Name, thon1.ParentID)
	}
	// the tree of a day: before the date the chapter stood under the old commune
	if parent, _, err := st.PlaceOn(w.ctx, thon1.ID, day(2025, 6, 30)); err != nil || parent != w.org("xa-eakly").ID {
		t.Errorf("cb-thon1 on 30/6/2025 under %d (%v); want xa-eakly", parent, err)
	}
	for _, code := range []string{"cb-thpt", "dn"} {
		if o := w.org(code); o.ParentID != moi.ID {
			t.Errorf("%s under %d; want xa-moi", code, o.ParentID)
		}
	}
	if kids, err := st.ChildrenOn(w.ctx, moi.ID, d); err != nil || len(kids) != 3 {
		t.Errorf("xa-moi's children on the date: %d (%v); want cb-thon1, cb-thpt, dn", len(kids), err)
	}
	if kids, _ := st.ChildrenOn(w.ctx, w.org("huyen").ID, day(2025, 6, 30)); len(kids) != 3 {
		t.Errorf("huyen's children on 30/6/2025: %d; want its three as they stood", len(kids))
	}

	// the dossier of cb-thon2 went with its chapter into cb-thon1: same
	// helper, no transfer, a new version
	c := w.storedCase(w.open.ID)
	if c.OrgID != thon1.ID || c.HelperID != w.open.HelperID || c.Version != w.open.Version+1 {
		t.Errorf("merged case: org %d helper %d version %d; want cb-thon1, helper %d, version %d", c.OrgID, c.HelperID, c.Version, w.open.HelperID, w.open.Version+1)
	}
	if n := countTable(t, w.svc, "case_transfers"); n != 0 {
		t.Errorf("%d case transfers; a merger is not a personal transfer", n)
	}
	v := w.view(w.open.ID)
	if v.Person.OrgID != thon1.ID || v.Helper == nil || v.Helper.OrgID != thon1.ID {
		t.Errorf("the candidate and the helper are in %d and %v; want cb-thon1", v.Person.OrgID, v.Helper)
	}
	for _, dl := range v.Deadlines {
		if dl.Kind == domain.DeadlineTransfer {
			t.Errorf("a merger set a transfer deadline: %+v", dl)
		}
	}

	// the voted case's next step was recomputed: the new commune decides,
	// with no grassroots committee between
	c = w.storedCase(w.voted.ID)
	if c.NextOwner != domain.OwnerBoard || c.Version != w.voted.Version {
		t.Errorf("after the plan the stored next step is %s (%q), version %d; want the board's decision, version kept", c.NextOwner, c.NextAction, c.Version)
	}
	if v := w.view(w.voted.ID); v.Decider == nil || v.Decider.Code != "xa-moi" || v.Committee {
		t.Errorf("after the plan the decider is %v (committee step %v); want xa-moi without", v.Decider, v.Committee)
	}

	places, err := w.svc.ResidentialUnitsOf(w.ctx, "xa-moi")
	if err != nil || len(places) != 1 || places[0].ChapterID != thon1.ID {
		t.Errorf("xa-moi's villages: %+v (%v)", places, err)
	}
	var schoolCommune int64
	if err := st.DB().QueryRowContext(w.ctx, `SELECT commune_id FROM schools WHERE id = $1`, w.school.ID).Scan(&schoolCommune); err != nil || schoolCommune != moi.ID {
		t.Errorf("the school's commune is %d (%v)", schoolCommune, err)
	}
	if u, err := st.GetUser(w.ctx, w.user.ID); err != nil || u.OrgID != moi.ID || u.OrgPath != moi.Path {
		t.Errorf("the commune's organizer is bound to %+v (%v); want xa-moi", u, err)
	}
	// dn's own record named the district: from the date the new commune decides
	auths, err := st.Authorities(w.ctx, w.org("dn").ID)
	if err != nil || len(auths) != 2 || !auths[0].ValidFrom.Equal(d) || auths[0].DeciderID != moi.ID || !auths[0].GrassrootsLevel {
		t.Errorf("dn's authorities: %+v (%v)", auths, err)
	}

	// one audit record listing what moved
	var detail string
	if err := st.DB().QueryRowContext(w.ctx, `SELECT detail FROM audit_log WHERE action = 'reorg' AND entity_id = $1`, planID).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	var audit struct {
		Moved []struct {
			Operation string
			Unit      string
			Units     []string
			People    []int64
			OpenCases []int64 `json:"open_cases"`
		}
	}
	if err := json.Unmarshal([]byte(detail), &audit); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range audit.Moved {
		if m.Operation == "merge" && m.Unit == "cb-thon2" && len(m.People) == 2 && len(m.OpenCases) == 1 && m.OpenCases[0] == w.open.ID {
			found = true
		}
	}
	if !found {
		t.Errorf("the audit record does not list cb-thon2's people and case: %s", detail)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A plan with one wrong operation is refused as a whole, with every
// problem at once, and writes nothing.
func TestReorgRefusedAsAWhole(t *testing.T) {
	w := newReorgWorld(t)
	setTarget(t, w.svc, w.ctx, "huyen", 2025, domain.TargetQuota, 40, dayp(2025, 9, 30))
	setTarget(t, w.svc, w.ctx, "huyen", 2025, domain.TargetPlan, 45, dayp(2025, 6, 30)) // ends before the date: fine
	mkOrg(t, w.svc, w.ctx, "cb-vp", "Chi bộ Văn phòng Huyện ủy", domain.KindGrassChapter, "huyen")
	before := w.snapshot()
	p := reorgPlan()
	p.Create = append(p.Create, domain.ReorgCreate{Code: "cb-thon1", Name: "Trùng mã", Kind: domain.KindChapter, Parent: "xa-moi"})
	p.Move = append(p.Move, domain.ReorgMove{Unit: "khong-co", To: "xa-moi"}, domain.ReorgMove{Unit: "cb-thon2", To: "xa-moi"})
	p.Rename = append(p.Rename, domain.ReorgRename{Unit: "cb-thpt", Name: ""})
	res := w.apply(p, false)
	if res.OK() || res.Applied {
		t.Fatal("a wrong plan was applied")
	}
	got := problemTexts(res)
	for _, want := range []string{
		"create#3 cb-thon1: Mã tổ chức cb-thon1 đã được dùng",
		"move#3 khong-co: Không tìm thấy tổ chức mã khong-co",
		"move#4 cb-thon2: cb-thon2 đã có trong sáp nhập, mục 2",
		"rename#2 cb-thpt: Cần tên mới",
		"close#1 huyen: Chưa thể giải thể Đảng bộ huyện Krông Pắc: còn 1 đơn vị trực thuộc chưa được sáp nhập hoặc chuyển đi trong phương án (Chi bộ Văn phòng Huyện ủy (cb-vp))",
		"close#1 huyen: Chỉ tiêu năm 2025 của Đảng bộ huyện Krông Pắc (40, hạn 30/09/2025) sẽ không còn đơn vị thực hiện",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Kế hoạch năm 2025") {
		t.Errorf("a plan ending before the date is reported:\n%s", got)
	}
	if after := w.snapshot(); after != before {
		t.Fatalf("a refused plan wrote:\n%s\n%s", before, after)
	}
	// the summary still says what the valid operations would move
	if res.Totals.People == 0 || len(res.Units) == 0 {
		t.Errorf("no summary with the problems: %+v", res.Totals)
	}
}

// Every kind of problem the judgement knows, each named on its operation.
func TestReorgProblems(t *testing.T) {
	w := newReorgWorld(t)
	mkOrg(t, w.svc, w.ctx, "cu", "Chi bộ đã giải thể", domain.KindChapter, "huyen")
	closeOrg(t, w.svc, w.ctx, "cu", day(2024, 1, 1), "")
	for _, tc := range []struct {
		name string
		edit func(p *domain.ReorgPlan)
		want string
	}{
		{"bad date", func(p *domain.ReorgPlan) { p.Date = "01/07/2025" }, `plan#0 : Ngày hiệu lực "01/07/2025" không hợp lệ`},
		{"future", func(p *domain.ReorgPlan) { p.Date = "2025-09-01" }, "Ngày hiệu lực 01/09/2025 chưa đến"},
		{"no decision", func(p *domain.ReorgPlan) { p.Decision = " " }, "plan#0 : Cần số và ngày của quyết định"},
		{"empty", func(p *domain.ReorgPlan) { *p = domain.ReorgPlan{Date: p.Date, Decision: p.Decision} }, "Phương án không có thao tác nào"},
		{"bad code", func(p *domain.ReorgPlan) { p.Create[0].Code = "Xã Mới" }, "không hợp lệ: chỉ dùng chữ thường"},
		{"dup create", func(p *domain.ReorgPlan) { p.Create = append(p.Create, p.Create[0]) }, "create#3 xa-moi: Mã tổ chức xa-moi trùng với thành lập, mục 1"},
		{"bad kind", func(p *domain.ReorgPlan) { p.Create[0].Kind = "ward" }, `Loại tổ chức "ward" không hợp lệ`},
		{"under a chapter", func(p *domain.ReorgPlan) { p.Create[0].Parent = "cb-thpt" }, "là chi bộ: chi bộ không có đơn vị trực thuộc"},
		{"closed unit", func(p *domain.ReorgPlan) { p.Move = append(p.Move, domain.ReorgMove{Unit: "cu", To: "xa-moi"}) }, "cu: Chi bộ đã giải thể (mã cu) đã giải thể hoặc sáp nhập từ ngày 01/01/2024"},
		{"into a closing unit", func(p *domain.ReorgPlan) { p.Move[0].To = "xa-eakly" }, "xa-eakly bị sáp nhập hoặc giải thể trong chính phương án này (sáp nhập, mục 1)"},
		{"under itself", func(p *domain.ReorgPlan) { p.Move[1] = domain.ReorgMove{Unit: "xa-eakly", To: "cb-thon1"} }, "xa-eakly đã có trong sáp nhập, mục 1"},
		{"below itself", func(p *domain.ReorgPlan) { p.Move[1] = domain.ReorgMove{Unit: "dn", To: "dn"} }, "Không thể chuyển Đảng bộ Công ty Cà phê Phước An về trực thuộc Đảng bộ Công ty Cà phê Phước An"},
		{"already there", func(p *domain.ReorgPlan) { p.Move[1] = domain.ReorgMove{Unit: "dn-cb1", To: "dn"} }, "Chi bộ Phân xưởng 1 đã trực thuộc Đảng bộ Công ty Cà phê Phước An"},
		{"chapter into committee", func(p *domain.ReorgPlan) { p.Merge[1].Into = "xa-moi" }, "chi bộ sáp nhập vào chi bộ, đảng bộ vào đảng bộ"},
		{"into itself", func(p *domain.ReorgPlan) { p.Merge[1].Into = "cb-thon2" }, "Đơn vị cb-thon2 không thể sáp nhập vào chính nó"},
		{"close with people", func(p *domain.ReorgPlan) {
			p.Close = append(p.Close, domain.ReorgClose{Unit: "cb-thon1"})
			p.Merge = p.Merge[:1]
			p.Rename = nil
		}, "Chưa thể giải thể Chi bộ thôn 1: còn 4 người (quần chúng, đảng viên) sinh hoạt tại đây"},
		{"closed on its founding day", func(p *domain.ReorgPlan) {
			mkOrg(t, w.svc, w.ctx, "cb-moi", "Chi bộ mới lập", domain.KindChapter, "xa-eakly", day(2025, 7, 1))
			p.Merge[1].From = append(p.Merge[1].From, "cb-moi")
		}, "Chi bộ mới lập thành lập đúng ngày 01/07/2025: không thể sáp nhập hay giải thể nó ngay trong ngày đó"},
		{"created twice as subject", func(p *domain.ReorgPlan) { p.Rename[0].Unit = "xa-moi" }, "xa-moi là đơn vị do chính phương án này thành lập"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := reorgPlan()
			tc.edit(p)
			res := w.apply(p, true)
			if got := problemTexts(res); !strings.Contains(got, tc.want) {
				t.Errorf("problems lack %q:\n%s", tc.want, got)
			}
		})
	}
}

// A plan applied once is refused the second time, naming when; a later
// plan cannot move what an applied one placed after its date.
func TestReorgAppliedOnce(t *testing.T) {
	w := newReorgWorld(t)
	w.svc.Now = func() time.Time { return time.Date(2025, 8, 1, 3, 0, 0, 0, time.UTC) }
	if res := w.apply(reorgPlan(), false); !res.Applied {
		t.Fatalf("not applied:\n%s", problemTexts(res))
	}
	before := w.snapshot()
	again := w.apply(reorgPlan(), false)
	if again.Applied || len(again.Problems) != 1 ||
		!strings.Contains(again.Problems[0].Message, "Phương án này đã được áp dụng lúc 10:00 ngày 01/08/2025 (phương án số 1, Quyết định số 1234-QĐ/TU ngày 25/6/2025, hiệu lực 01/07/2025, người áp dụng: system); không áp dụng lại") {
		t.Fatalf("re-run: applied %v, problems:\n%s", again.Applied, problemTexts(again))
	}
	if after := w.snapshot(); after != before {
		t.Fatal("the refused re-run wrote")
	}
	earlier := &domain.ReorgPlan{Date: "2025-06-01", Decision: "Quyết định số 1-QĐ/TU",
		Move: []domain.ReorgMove{{Unit: "dn-cb1", To: "xa-eakly"}}}
	res := w.apply(earlier, true)
	if got := problemTexts(res); !strings.Contains(got, "Chi bộ Phân xưởng 1 (hoặc một đơn vị trực thuộc) đã được sắp xếp lại từ ngày 01/07/2025: không thể chuyển nó từ ngày 01/06/2025") {
		t.Errorf("a move out of date order:\n%s", got)
	}
	// two units moved under each other: the second move is refused when
	// it is written, and the whole plan is rolled back
	mkOrg(t, w.svc, w.ctx, "g1", "Đảng bộ Một", domain.KindGrassroots, "tinh", day(2025, 7, 1))
	mkOrg(t, w.svc, w.ctx, "g2", "Đảng bộ Hai", domain.KindGrassroots, "tinh", day(2025, 7, 1))
	before = w.snapshot()
	loop := &domain.ReorgPlan{Date: "2025-07-20", Decision: "Quyết định số 2-QĐ/TU",
		Move: []domain.ReorgMove{{Unit: "g1", To: "g2"}, {Unit: "g2", To: "g1"}}}
	res = w.apply(loop, false)
	if got := problemTexts(res); res.Applied || !strings.Contains(got, "move#2 g2: Không thể chuyển Đảng bộ Hai về trực thuộc Đảng bộ Một: Đảng bộ Một nằm trong chính Đảng bộ Hai") {
		t.Errorf("moves under each other: applied %v\n%s", res.Applied, got)
	}
	if after := w.snapshot(); after != before || w.org("g1").ParentID != w.org("tinh").ID {
		t.Errorf("the refused writes were kept:\n%s\n%s", before, after)
	}
	plans, err := w.svc.ReorgPlans(w.ctx, 0)
	if err != nil || len(plans) != 1 || plans[0].Totals.People != 6 || plans[0].AppliedByName != "system" {
		t.Errorf("applied plans: %+v (%v)", plans, err)
	}
}

// Only administrators reorganise; an administrator bound to a unit only
// within its subtree.
func TestReorgScope(t *testing.T) {
	w := newReorgWorld(t)
	_, org := mkUser(t, w.svc, w.ctx, "tochuc", domain.RoleOrganizer, "huyen")
	if _, err := w.svc.ApplyReorg(org, reorgPlan(), service.ReorgOptions{DryRun: true}); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("an organizer: %v; want forbidden", err)
	}
	_, adm := mkUser(t, w.svc, w.ctx, "qt-eakly", domain.RoleAdmin, "xa-eakly")
	res, err := w.svc.ApplyReorg(adm, &domain.ReorgPlan{Date: "2025-07-01", Decision: "QĐ 5",
		Merge: []domain.ReorgMerge{{From: []string{"cb-thon2"}, Into: "cb-thon1"}}, Move: []domain.ReorgMove{{Unit: "cb-thpt", To: "xa-eakly"}}},
		service.ReorgOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Forbidden() || res.Applied || !strings.Contains(problemTexts(res), "move#1 cb-thpt: Không truy cập được") ||
		strings.Contains(problemTexts(res), "Lê Hồng Phong") {
		t.Errorf("outside the scope: forbidden %v applied %v:\n%s", res.Forbidden(), res.Applied, problemTexts(res))
	}
	// an unknown code reads the same as a unit outside the scope
	unknown, err := w.svc.ApplyReorg(adm, &domain.ReorgPlan{Date: "2025-07-01", Decision: "QĐ 5",
		Merge: []domain.ReorgMerge{{From: []string{"cb-thon2"}, Into: "cb-thon1"}}, Move: []domain.ReorgMove{{Unit: "cb-khong-co", To: "xa-eakly"}}},
		service.ReorgOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := problemTexts(unknown), strings.ReplaceAll(problemTexts(res), "cb-thpt", "cb-khong-co"); got != want || unknown.Status() != res.Status() {
		t.Errorf("unknown code: %d %q; outside: %d %q", unknown.Status(), got, res.Status(), want)
	}
	res, err = w.svc.ApplyReorg(adm, &domain.ReorgPlan{Date: "2025-07-01", Decision: "QĐ 5",
		Merge: []domain.ReorgMerge{{From: []string{"cb-thon2"}, Into: "cb-thon1"}}}, service.ReorgOptions{})
	if err != nil || !res.Applied {
		t.Errorf("within the scope: %v %s", err, problemTexts(res))
	}
}
