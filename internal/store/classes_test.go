package store

import (
	"testing"
	"time"

	"ketnap/internal/domain"
)

func mkClass(t *testing.T, st *Store, code, programme string, owner int64, start, end time.Time, units ...int64) *domain.Class {
	t.Helper()
	c := &domain.Class{Code: code, Name: "Lớp " + code, Programme: programme, OrgID: owner, StartDate: start, EndDate: end,
		Status: domain.ClassOpen, UnitIDs: units}
	var sessions []domain.Session
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		sessions = append(sessions, domain.Session{Date: d, Lessons: 5})
	}
	if err := st.CreateClass(t.Context(), c, sessions, time.Now()); err != nil {
		t.Fatalf("CreateClass(%s): %v", code, err)
	}
	return c
}

func enrolIn(t *testing.T, st *Store, c *domain.Class, p *domain.Person) *domain.Learner {
	t.Helper()
	l := &domain.Learner{ClassID: c.ID, PersonID: p.ID, EnrolledOn: c.StartDate, Status: domain.EnrolActive}
	if err := st.AddLearner(t.Context(), l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestClassStore(t *testing.T) {
	st, _ := openTest(t)
	testClassStore(t, st)
}

// testClassStore runs on any engine's empty store.
func testClassStore(t *testing.T, st *Store) {
	ctx := t.Context()
	root := mkOrg(t, st, "kp", 0)
	a := mkOrg(t, st, "kp-a", root.ID)
	b := mkOrg(t, st, "kp-b", root.ID)
	pa, pb := mkPerson(t, st, a.ID, "Nguyễn Văn An", ""), mkPerson(t, st, b.ID, "Trần Thị Bé", "")
	c1 := mkClass(t, st, "NT-1", domain.ProgAwareness, root.ID, d(2024, 3, 4), d(2024, 3, 7), a.ID)
	c2 := mkClass(t, st, "NT-2", domain.ProgAwareness, root.ID, d(2024, 3, 7), d(2024, 3, 8), a.ID, b.ID)

	if err := st.CreateClass(ctx, &domain.Class{Code: "NT-1", Name: "x", Programme: domain.ProgAwareness, OrgID: root.ID,
		StartDate: d(2024, 1, 1), EndDate: d(2024, 1, 1), Status: domain.ClassPlanned, UnitIDs: []int64{a.ID}}, nil, time.Now()); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("duplicate code: %v", err)
	}
	got, path, err := st.GetClass(ctx, c2.ID)
	if err != nil || path != root.Path || len(got.UnitIDs) != 2 || got.Status != domain.ClassOpen {
		t.Fatalf("GetClass: %+v %q %v", got, path, err)
	}
	l := enrolIn(t, st, c1, pa)
	if err := st.AddLearner(ctx, &domain.Learner{ClassID: c1.ID, PersonID: pa.ID, EnrolledOn: c1.StartDate, Status: domain.EnrolActive}); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("enrolled twice: %v", err)
	}
	// Overlap: NT-2 shares 7 March with NT-1.
	if code, err := st.OverlappingClass(ctx, pa.ID, c2.ID, c2.StartDate, c2.EndDate); err != nil || code != "NT-1" {
		t.Errorf("overlapping: %q %v", code, err)
	}
	if code, _ := st.OverlappingClass(ctx, pa.ID, c2.ID, d(2024, 3, 8), d(2024, 3, 9)); code != "" {
		t.Errorf("no overlap, got %q", code)
	}
	// Eligible for NT-2: only b's person (a's is in an overlapping class).
	f := EligibleFilter{Path: "/", UnitPaths: []string{a.Path, b.Path}, Stages: []string{domain.StageSource}, ClassID: c2.ID,
		Programme: domain.ProgAwareness, Start: c2.StartDate, End: c2.EndDate}
	rows, total, err := st.EligiblePeople(ctx, f)
	if err != nil || total != 1 || rows[0].ID != pb.ID || rows[0].OrgCode != "kp-b" {
		t.Fatalf("eligible: %d %v %v", total, rows, err)
	}
	f.Path = a.Path // a user of kp-a sees nobody of kp-b
	if _, total, _ := st.EligiblePeople(ctx, f); total != 0 {
		t.Errorf("eligible outside the scope: %d", total)
	}
	// Attendance and results round-trip; the learners list is scoped.
	sessions, _ := st.Sessions(ctx, c1.ID)
	for _, s := range sessions {
		if err := st.SetAttendance(ctx, l.ID, s.ID, 4); err != nil {
			t.Fatal(err)
		}
	}
	enrolIn(t, st, c2, pb)
	s1, s2 := 700, 650
	exam := d(2024, 3, 7)
	l.Score1, l.Score2, l.Outcome, l.Total, l.ResultDate = &s1, &s2, domain.OutcomePass, 1350, &exam
	if err := st.SaveLearner(ctx, l); err != nil {
		t.Fatal(err)
	}
	l.Version = 1
	if err := st.SaveLearner(ctx, l); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("stale learner version: %v", err)
	}
	ls, err := st.Learners(ctx, c1.ID, "/")
	if err != nil || len(ls) != 1 || ls[0].Attended != 16 || *ls[0].Score2 != 650 || ls[0].OrgName != a.Name {
		t.Fatalf("learners: %+v %v", ls, err)
	}
	if ls, _ := st.Learners(ctx, c2.ID, a.Path); len(ls) != 0 {
		t.Errorf("kp-a's scope lists kp-b's learner")
	}
	// Counts: NT-1 and NT-2 held in March; the pass dated 7 March.
	counts, err := st.ClassCounts(ctx, root.Path, d(2024, 1, 1), d(2024, 3, 31))
	if err != nil || counts[domain.ProgAwareness] == nil {
		t.Fatal(err)
	}
	if c := counts[domain.ProgAwareness]; c.Classes != 2 || c.Learners != 2 || c.Passed != 1 || c.Pending != 1 {
		t.Errorf("counts %+v", c)
	}
	counts, _ = st.ClassCounts(ctx, root.Path, d(2024, 1, 1), d(2024, 3, 6))
	if c := counts[domain.ProgAwareness]; c.Classes != 1 || c.Passed != 0 {
		t.Errorf("counts before the essay %+v", c)
	}
	// Certificates: numbers unique, valid on a date, the serial of a prefix.
	k := &domain.Certificate{EnrolmentID: l.ID, PersonID: pa.ID, ClassID: c1.ID, Programme: domain.ProgAwareness, Number: "NT-2024-0007",
		Issued: d(2024, 3, 15), ValidUntil: domain.CertificateValidUntil(domain.ProgAwareness, d(2024, 3, 15))}
	if err := st.CreateCertificate(ctx, k); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.MaxCertificateSerial(ctx, "NT-2024-"); n != 7 {
		t.Errorf("serial %d", n)
	}
	for day, ok := range map[time.Time]bool{d(2024, 3, 14): false, d(2024, 3, 15): true, d(2029, 3, 15): true, d(2029, 3, 16): false} {
		got, err := st.ValidCertificateOn(ctx, pa.ID, domain.ProgAwareness, day)
		if err != nil || (got != nil) != ok {
			t.Errorf("valid on %s: %v %v", day.Format(domain.DateLayout), got, err)
		}
	}
	// Sources not sent: b's person is enrolled; a new one in the pool since 2023 is not.
	pc := mkPerson(t, st, b.ID, "Lê Văn Cư", "")
	if err := st.SetSourceSince(ctx, pc.ID, d(2023, 6, 1)); err != nil {
		t.Fatal(err)
	}
	by, err := st.SourcesNotSentByOrg(ctx, root.Path, d(2023, 11, 3), d(2024, 5, 4))
	if err != nil || len(by) != 1 || by[0].Code != "kp-b" || by[0].Count != 1 {
		t.Errorf("not sent by unit: %+v %v", by, err)
	}
	list, total, err := st.SourcesNotSent(ctx, root.Path, d(2023, 11, 3), d(2024, 5, 4), 10, 0)
	if err != nil || total != 1 || list[0].ID != pc.ID || !list[0].Since.Equal(d(2023, 6, 1)) {
		t.Errorf("not sent: %d %+v %v", total, list, err)
	}
	if _, total, _ := st.SourcesNotSent(ctx, root.Path, d(2023, 5, 31), d(2024, 5, 4), 10, 0); total != 0 {
		t.Errorf("in the pool since after the cutoff, still counted: %d", total)
	}
}
