package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// PersonImportRow is one row of a candidates or members file as the file
// gives it. The problems name the fields of the person (full_name,
// birth_date, sex, ethnicity, religion, cccd, education, occupation,
// stage), org, residence, the membership's (decision_no, decision_date,
// decided_by, ceremony_date, recognition_date, admitted_org) and the stage
// facts' (StageFacts).
type PersonImportRow struct {
	Line int // the row's number in the file, for the messages that name it
	// Person is the person as the file gives it: OrgCode is the file's
	// code; Stage "" is a candidate's default (a source), and a member's
	// follows from the membership.
	Person     PersonInput
	Residence  string            // code or name of a residential unit in the user's subtree, "" for none
	Membership *MembershipImport // a member's admission (members file)
	Facts      *StageFacts       // a candidate's stage facts, nil when the row has none
}

// MembershipImport is the admission of a member as a members file gives it.
type MembershipImport struct {
	DecisionNo      string
	DecisionDate    time.Time
	DecidedBy       string // code of the committee that decided, "" when not given
	CeremonyDate    *time.Time
	RecognitionDate *time.Time
}

// ImportPersonRows judges the rows of a candidates or members file (kind
// ImportCandidates or ImportMembers) and, as the options allow, writes the
// new people in one transaction; a citizen ID already in the store is the
// same person (unchanged) or a problem. A candidate's stage facts are
// replayed through the procedure's steps (importCandidates), in the
// transaction that a dry run or a refused row rolls back.
func (s *Service) ImportPersonRows(ctx context.Context, kind string, rows []PersonImportRow, opt ImportOptions) (*ImportReport, error) {
	if kind != ImportCandidates && kind != ImportMembers {
		return nil, fmt.Errorf("service: ImportPersonRows of %q", kind)
	}
	r, err := s.startImport(ctx, kind, opt)
	if err != nil {
		return nil, err
	}
	c := &peopleCheck{importRun: r, kind: kind, rows: rows, seen: map[string]int{}}
	if err := c.loadPlaces(); err != nil {
		return nil, err
	}
	for i := range rows {
		r.progress(ImportChecking, i+1, len(rows))
		c.row(i)
		if r.err != nil {
			return nil, r.err
		}
	}
	// Each row is judged and made a person: the rows, a fifth of the
	// memory of a large file, may go (the caller lets go of them too).
	c.rows = nil
	if err := c.classify(); err != nil {
		return nil, err
	}
	if kind == ImportCandidates {
		return c.writeCandidates()
	}
	if opt.DryRun {
		return r.done(), nil
	}
	var progress func(int)
	if opt.Progress != nil {
		progress = func(n int) { opt.Progress(ImportWriting, n, len(c.people)) }
	}
	// the rows written: the new people's, then the updated people's
	at := slices.Concat(r.rep.Accepted, c.updRows)
	err = r.replayWrites(&at, func(commit bool) error {
		if !commit {
			return nil // nothing to write: the checks said it all
		}
		return s.writePeople(ctx, r.me, kind, c.people, c.admitted, c.updates, progress)
	}, func(k int) {
		if k < len(c.people) {
			c.people, c.admitted = slices.Delete(c.people, k, k+1), slices.Delete(c.admitted, k, k+1)
			return
		}
		k -= len(c.people)
		c.updates, c.updRows = slices.Delete(c.updates, k, k+1), slices.Delete(c.updRows, k, k+1)
		c.dropChange(k)
	})
	if err != nil {
		return nil, err
	}
	r.rep.Accepted = r.rep.Accepted[:min(len(r.rep.Accepted), len(c.people))]
	return r.done(), nil
}

// dropChange forgets the k-th update, refused by the write.
func (c *peopleCheck) dropChange(k int) {
	c.rep.Changes = slices.Delete(c.rep.Changes, k, k+1)
	c.rep.Updated--
}

// personOK is a row that passed the checks of its own.
type personOK struct {
	i     int
	p     *domain.Person
	m     *domain.Membership
	h     *caseHistory
	stage string // the stage the row gives ("" none)
}

// personUpdate is a person in the store as a row changes them: the person
// to write (with the version read) and the fields changed.
type personUpdate struct {
	p       *domain.Person
	changes []FieldChange
}

// peopleCheck judges the rows of a candidates or members file.
type peopleCheck struct {
	*importRun
	kind    string
	rows    []PersonImportRow
	places  map[string]int64 // folded code or name → residential unit
	members map[string][]domain.MemberRef
	seen    map[string]int // CCCD → the file's row number of its first row
	ok      []personOK

	// the rows to write (classify)
	people   []*domain.Person
	admitted []*domain.Membership
	cands    []candidateWrite
	candRows []int // the row index of each of cands
	trial    bool  // stage facts to replay: the writer judges rows too, even on a dry run
	updates  []personUpdate
	updRows  []int                        // the row index of each of updates
	latest   map[int64]*domain.Membership // a members file: the latest admission of the people already here
}

// loadPlaces reads the residential units of the user's subtree once.
func (c *peopleCheck) loadPlaces() error {
	places, err := c.s.store.ResidentialUnits(c.ctx, scopePath(c.me))
	if err != nil {
		return err
	}
	c.places = map[string]int64{}
	for _, p := range places {
		c.places[fold(p.Code)] = p.ID
		if _, dup := c.places[fold(p.Name)]; !dup {
			c.places[fold(p.Name)] = p.ID
		}
	}
	return nil
}

func fold(s string) string { return strings.TrimSpace(vn.Fold(s)) }

// row judges the row i on its own (the citizen IDs against the store are
// judged once every row is read, 500 a query).
func (c *peopleCheck) row(i int) {
	row := &c.rows[i]
	before := c.problems()
	in := row.Person
	org, err := c.org(in.OrgCode)
	if err != nil {
		c.refuse(i, "org", err)
	}
	if row.Residence != "" {
		if id, ok := c.places[fold(row.Residence)]; ok {
			in.ResidenceID = id
		} else {
			c.refusef(i, "residence", "Không có thôn, buôn, tổ dân phố “%s” trong phạm vi của bạn (xem trang “Danh mục” của tệp mẫu)", row.Residence)
		}
	}
	var h *caseHistory
	var m *domain.Membership
	if c.kind == ImportCandidates {
		h = c.candidate(i, &in, row.Facts, org)
	} else {
		m = c.member(i, &in, row.Membership, org)
	}
	if c.problems() > before {
		return
	}
	if in.CCCD != "" {
		if first, dup := c.seen[in.CCCD]; dup {
			c.refusef(i, "cccd", "Số CCCD %s trùng với dòng %d của tệp (mỗi người chỉ một dòng)", vn.MaskCCCD(in.CCCD), first)
			return
		}
		c.seen[in.CCCD] = row.Line
	}
	p := &domain.Person{}
	if err := c.s.personFields(c.ctx, in, p); err != nil {
		c.refuse(i, "", err)
		return
	}
	p.OrgID = org.ID
	if m != nil {
		m.Status = p.Stage
		if err := c.s.validMembership(c.ctx, p, m); err != nil {
			c.refuse(i, "", err)
			return
		}
		if err := c.s.openUnit(c.ctx, org, m.DecisionDate, "org"); err != nil {
			c.refuse(i, "", err)
			return
		}
	}
	c.ok = append(c.ok, personOK{i: i, p: p, m: m, h: h, stage: row.Person.Stage})
}

// candidate judges a candidate's row: the person is written as a source
// and their stage facts (nil when the row has none) are replayed through
// the procedure, whose dossier step makes them a candidate. The stage
// column only states what the facts give: "Đang làm hồ sơ kết nạp" needs
// the date the dossier was opened, "Quần chúng ưu tú" cannot have one.
func (c *peopleCheck) candidate(i int, in *PersonInput, f *StageFacts, org *domain.Org) *caseHistory {
	given := in.Stage
	in.Stage = domain.StageSource // the dossier step makes the candidate
	if f == nil {
		if given == domain.StageCandidate {
			c.refusef(i, "stage", "Giai đoạn “%s” đi theo hồ sơ kết nạp: ghi ngày lập hồ sơ (cột “Ngày lập hồ sơ”) để hồ sơ kết nạp được mở và ghi bước lập hồ sơ, "+
				"hoặc để trống giai đoạn (quần chúng ưu tú)", domain.StageName(domain.StageCandidate))
		}
		return nil
	}
	h := c.history(i, f, org)
	if (h.DossierOpened != nil || h.Chapter != nil) && given == domain.StageSource {
		c.refusef(i, "stage", "Đã có ngày lập hồ sơ nên giai đoạn là “%s”, không phải “%s”",
			domain.StageName(domain.StageCandidate), domain.StageName(domain.StageSource))
	}
	if given == domain.StageCandidate && h.DossierOpened == nil {
		c.refusef(i, "dossier_opened", "Giai đoạn “%s” cần ngày lập hồ sơ khi có ghi quá trình", domain.StageName(domain.StageCandidate))
	}
	return h
}

// member reads the admission of a member's row and sets the member's stage.
func (c *peopleCheck) member(i int, in *PersonInput, mi *MembershipImport, org *domain.Org) *domain.Membership {
	if mi == nil {
		mi = &MembershipImport{}
	}
	m := &domain.Membership{DecisionNo: vn.Clean(mi.DecisionNo), DecisionDate: mi.DecisionDate,
		CeremonyDate: mi.CeremonyDate, RecognitionDate: mi.RecognitionDate, Origin: domain.OriginImport}
	if org != nil {
		m.AdmittedOrgID = org.ID
	}
	if mi.DecidedBy != "" {
		// the deciding committee may be above the user's unit: one of
		// the row's unit's ancestors
		if by := c.lookup(mi.DecidedBy); by != nil && (c.me.Sees(by.Path) || (org != nil && by.Contains(org))) {
			m.DecidedByID = by.ID
		} else {
			_, err := c.org(mi.DecidedBy)
			c.refuse(i, "decided_by", err)
		}
	}
	in.Stage = domain.StageProbationary
	if m.RecognitionDate != nil {
		in.Stage = domain.StageOfficial
	}
	return m
}

// classify judges the rows that passed against the store, by citizen ID
// (500 a query): a person already here is unchanged (or their case gains
// the row's stage facts), another person's ID is a problem, the others are
// new.
func (c *peopleCheck) classify() error {
	cccds := make([]string, 0, len(c.ok))
	for _, x := range c.ok {
		cccds = append(cccds, x.p.CCCD)
	}
	existing, paths, err := c.s.store.PeopleByCCCD(c.ctx, cccds)
	if err != nil {
		return err
	}
	if c.kind == ImportMembers && len(existing) > 0 {
		ids := make([]int64, 0, len(existing))
		for _, p := range existing {
			ids = append(ids, p.ID)
		}
		if c.latest, err = c.s.store.LatestMemberships(c.ctx, ids); err != nil {
			return err
		}
	}
	for _, x := range c.ok {
		if old := existing[x.p.CCCD]; old != nil {
			c.known(x, old, paths[old.ID])
			continue
		}
		c.rep.Accepted = append(c.rep.Accepted, x.i)
		c.people = append(c.people, x.p)
		c.admitted = append(c.admitted, x.m)
		if c.kind == ImportCandidates {
			c.cands = append(c.cands, candidateWrite{Person: x.p, History: x.h})
			c.candRows = append(c.candRows, x.i)
			c.trial = c.trial || x.h != nil
		}
	}
	c.rep.Valid += len(c.people)
	return nil
}

// known judges a row whose citizen ID is old's, a person in the store
// under path.
func (c *peopleCheck) known(x personOK, old *domain.Person, path string) {
	if !sameFold(old.FullName, x.p.FullName) || !old.BirthDate.Equal(x.p.BirthDate) {
		who := "một người khác"
		if c.me.Sees(path) {
			who = fmt.Sprintf("%s, sinh %s (mã hồ sơ %d)", old.FullName, vn.Date(old.BirthDate), old.ID)
		}
		c.refusef(x.i, "cccd", "Số CCCD %s đã có trong hệ thống, thuộc hồ sơ của %s: mỗi người chỉ có một hồ sơ. Hãy kiểm tra lại số CCCD hoặc họ tên, ngày sinh", vn.MaskCCCD(x.p.CCCD), who)
		return
	}
	changes := c.changes(x, old)
	field, refused := c.procedure(x, old)
	if !c.me.Sees(path) {
		// nothing of the record is told: the row's own name only
		switch {
		case x.h != nil:
			c.refusef(x.i, "org", "%s đã có trong hệ thống nhưng sinh hoạt ở đơn vị ngoài phạm vi của bạn: không ghi được quá trình kết nạp", old.FullName)
		case len(changes) > 0 || refused != nil:
			c.refusef(x.i, "org", "%s đã có trong hệ thống nhưng sinh hoạt ở đơn vị ngoài phạm vi của bạn: không sửa được hồ sơ qua tệp nhập", old.FullName)
		default:
			c.rep.Unchanged++
		}
		return
	}
	if refused != nil {
		c.refuse(x.i, field, refused)
		return
	}
	if x.h == nil && len(changes) == 0 {
		c.rep.Unchanged++
		return
	}
	var upd *personUpdate
	if len(changes) > 0 {
		if x.p.OrgID != old.OrgID {
			// moved to another unit of the user's scope (row checked it): an
			// open one, as the person form asks
			if err := c.s.openUnit(c.ctx, c.byID[x.p.OrgID], c.s.stepDay(c.ctx), "org"); err != nil {
				c.refuse(x.i, "", err)
				return
			}
		}
		p := *old
		c.apply(&p, x.p)
		upd = &personUpdate{p: &p, changes: changes}
		fields := make([]string, len(changes))
		for k, ch := range changes {
			fields[k] = ch.Field
		}
		c.rep.Changes = append(c.rep.Changes, RowChange{Row: x.i, Fields: fields})
		c.rep.Updated++
	}
	c.rep.Valid++
	if c.kind != ImportCandidates {
		c.updates = append(c.updates, *upd)
		c.updRows = append(c.updRows, x.i)
		return
	}
	// already here: the person is updated, the case gains the facts it lacks
	c.cands = append(c.cands, candidateWrite{ExistingID: old.ID, History: x.h, Update: upd})
	c.candRows = append(c.candRows, x.i)
	c.trial = true
}

// personFieldsCompared are the fields of a person a row may change: their
// values as the audit record shows them, and how the file's value is set
// on the person in the store.
var personFieldsCompared = []struct {
	field string
	value func(p *domain.Person) string
	copy  func(dst, src *domain.Person)
}{
	{"sex", func(p *domain.Person) string { return p.Sex }, func(d, s *domain.Person) { d.Sex = s.Sex }},
	{"ethnicity", func(p *domain.Person) string { return p.Ethnicity }, func(d, s *domain.Person) { d.Ethnicity = s.Ethnicity }},
	{"religion", func(p *domain.Person) string { return p.Religion }, func(d, s *domain.Person) { d.Religion = s.Religion }},
	{"education", func(p *domain.Person) string { return p.Education }, func(d, s *domain.Person) { d.Education = s.Education }},
	{"occupation", func(p *domain.Person) string { return p.Occupation }, func(d, s *domain.Person) { d.Occupation = s.Occupation }},
	{"residence", func(p *domain.Person) string { return strconv.FormatInt(p.ResidenceID, 10) }, func(d, s *domain.Person) { d.ResidenceID = s.ResidenceID }},
	{"workplace", func(p *domain.Person) string { return p.Workplace }, func(d, s *domain.Person) { d.Workplace = s.Workplace }},
	{"youth_union", func(p *domain.Person) string { return strconv.FormatBool(p.YouthUnion) }, func(d, s *domain.Person) { d.YouthUnion = s.YouthUnion }},
	{"trade_union", func(p *domain.Person) string { return strconv.FormatBool(p.TradeUnion) }, func(d, s *domain.Person) { d.TradeUnion = s.TradeUnion }},
	{"org", func(p *domain.Person) string { return strconv.FormatInt(p.OrgID, 10) }, func(d, s *domain.Person) { d.OrgID = s.OrgID }},
}

// changes are the fields in which the row's person p differs from old,
// the same person in the store, among the columns the file has. The name
// and the birth date identify the person (a name differing in case or
// marks only is the same); the stage follows the procedure (procedure).
func (c *peopleCheck) changes(x personOK, old *domain.Person) []FieldChange {
	var out []FieldChange
	for _, f := range personFieldsCompared {
		if c.opt.Fields != nil && !c.opt.Fields[f.field] {
			continue
		}
		if a, b := f.value(old), f.value(x.p); a != b {
			if f.field == "org" {
				a, b = c.codeOf(old.OrgID), c.codeOf(x.p.OrgID)
			}
			out = append(out, FieldChange{Field: f.field, Old: a, New: b})
		}
	}
	return out
}

// apply sets on p (the person in the store) the fields of the file's
// person q that the file has.
func (c *peopleCheck) apply(p, q *domain.Person) {
	for _, f := range personFieldsCompared {
		if c.opt.Fields == nil || c.opt.Fields[f.field] {
			f.copy(p, q)
		}
	}
}

// procedure judges a row of a person in the store that changes what the
// admission procedure owns: the stage (a candidates file) or the admission
// decision (a members file). It returns the field and the refusal, which
// names the step that records the change, or a nil error.
func (c *peopleCheck) procedure(x personOK, old *domain.Person) (string, error) {
	if c.kind == ImportCandidates {
		if x.h == nil && x.stage != "" && x.stage != old.Stage {
			return "stage", stageStep(old.Stage, x.stage)
		}
		return "", nil
	}
	want := x.p.Stage // a members row: probationary, or official with its recognition
	m := c.latest[old.ID]
	if m == nil || (old.Stage != domain.StageProbationary && old.Stage != domain.StageOfficial) {
		if m != nil {
			return "recognition_date", stageStep(old.Stage, want)
		}
		return "decision_date", stageStep(old.Stage, want)
	}
	step := "sửa ở bước “Quyết định kết nạp” của hồ sơ kết nạp (đính chính), hoặc, với quyết định ghi từ hồ sơ giấy, ở mục “Quyết định kết nạp” trên trang của người này"
	switch {
	case vn.Clean(m.DecisionNo) != vn.Clean(x.m.DecisionNo):
		return "decision_no", domain.FieldError("decision_no", "%s đã có quyết định kết nạp số %s: không đổi số quyết định qua tệp nhập; %s", old.FullName, m.DecisionNo, step)
	case !m.DecisionDate.Equal(x.m.DecisionDate):
		return "decision_date", domain.FieldError("decision_date", "%s đã có quyết định kết nạp ngày %s: không đổi ngày quyết định qua tệp nhập; %s", old.FullName, vn.Date(m.DecisionDate), step)
	case x.m.CeremonyDate != nil && !sameDate(m.CeremonyDate, x.m.CeremonyDate):
		msg := "ghi ở bước “Lễ kết nạp” của hồ sơ kết nạp"
		if m.CeremonyDate != nil {
			msg = fmt.Sprintf("lễ kết nạp đã ghi ngày %s; sửa ở hồ sơ kết nạp (đính chính)", vn.Date(*m.CeremonyDate))
		}
		return "ceremony_date", domain.FieldError("ceremony_date", "Ngày lễ kết nạp không ghi qua tệp nhập với người đã có: %s", msg)
	case old.Stage == want && m.RecognitionDate != nil && !sameDate(m.RecognitionDate, x.m.RecognitionDate):
		return "recognition_date", domain.FieldError("recognition_date", "%s đã được công nhận đảng viên chính thức ngày %s: không đổi ngày công nhận qua tệp nhập; sửa ở hồ sơ kết nạp (đính chính)",
			old.FullName, vn.Date(*m.RecognitionDate))
	case old.Stage != want:
		return "recognition_date", stageStep(old.Stage, want)
	}
	return "", nil
}

// writeCandidates writes the new people of a candidates file and replays
// the stage facts, in one transaction kept only when nothing is wrong (or
// the valid rows only are asked), never on a dry run. A refused row's
// facts become problems on their fields.
func (c *peopleCheck) writeCandidates() (*ImportReport, error) {
	if !c.trial && !c.writes() {
		return c.done(), nil
	}
	opt := c.opt
	var progress func(int)
	if opt.Progress != nil {
		progress = func(n int) { opt.Progress(ImportWriting, n, len(c.cands)) }
	}
	commit := func(refused int) bool {
		return !opt.DryRun && (opt.ValidOnly || (c.clean() && refused == 0))
	}
	out, err := c.s.importCandidates(c.ctx, c.me, c.cands, commit, progress)
	if err != nil {
		return nil, err
	}
	failed := map[int]bool{}
	for _, f := range out.Failures {
		c.refuse(c.candRows[f.Row], f.field(), f.Err)
		failed[c.candRows[f.Row]] = true
	}
	c.rep.Changes = slices.DeleteFunc(c.rep.Changes, func(ch RowChange) bool { return failed[ch.Row] })
	c.rep.Valid -= len(out.Failures) + out.Unchanged
	c.rep.Unchanged += out.Unchanged
	c.rep.Updated = out.Advanced // on a dry run: would be
	if out.Committed {
		c.rep.Steps = out.Steps
		c.rep.Imported = out.Created + out.Advanced
	}
	return c.done(), nil
}
