package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// The bulk import of a file's rows (issue 6, item 1; issue 10, item 4).
// internal/importer reads a workbook into typed rows (OrgImportRow,
// PersonImportRow, TargetImportRow), each with its row number in the file;
// the calls here judge every row with the service's own rules and
// messages, report what is wrong as a row index and a field name (the
// importer maps the field back to its column), and write the valid rows in
// one transaction with one audit record: all of them, or with ValidOnly
// the valid ones, or nothing on a dry run.

// Phases of an import, as ImportOptions.Progress names them.
const (
	ImportChecking = "kiểm tra"
	ImportWriting  = "ghi"
)

// ImportProgressEvery is how many rows pass between two progress reports.
const ImportProgressEvery = 5000

// ImportOptions change how the rows of a file are imported.
type ImportOptions struct {
	DryRun    bool // judge only, write nothing
	ValidOnly bool // write the valid rows even when others are wrong
	// Unreadable is how many rows of the file the caller could not read
	// (cells that are not a date or a number, …) and reported itself:
	// with any, nothing is written unless ValidOnly.
	Unreadable int
	// Progress, when set, is told how many rows are done of how many, in
	// the phase ImportChecking then ImportWriting.
	Progress func(phase string, done, total int)
	// Fields are the fields of the rows whose columns the file has (nil:
	// all). A person already recorded is updated on those only: a column
	// the file lacks changes nothing.
	Fields map[string]bool
}

// RowChange is a row whose person is in the store and differs from it:
// the row's index and the fields the import changes (or would change, on
// a dry run).
type RowChange struct {
	Row    int
	Fields []string
}

// RowProblem is one thing wrong with a row: the row's index in the rows
// given, the field it is about ("" for the row as a whole) and a
// Vietnamese message.
type RowProblem struct {
	Row     int
	Field   string
	Message string
}

// ImportMaxProblems is how many problems an import report keeps (the
// first in row order); it counts the others (issue 13, item 1).
const ImportMaxProblems = 1000

// ImportReport is what an import of rows did, or would do with DryRun.
type ImportReport struct {
	Valid     int          // rows without problems that add or change something
	Imported  int          // records written
	Unchanged int          // rows already in the store, left as they are
	Updated   int          // people already in the store updated: fields changed (Changes) or their admission case gained steps
	Steps     int          // admission procedure steps recorded from stage facts
	Problems  []RowProblem // the first ImportMaxProblems, in row order
	More      int          // problems besides those in Problems
	Accepted  []int        // the indexes of the rows found new and valid, in order
	Changes   []RowChange  // the rows whose person is updated, in order (on a dry run too)
}

// CanImport reports whether the user may import files of the kind.
func CanImport(u *domain.User, kind string) bool {
	return u != nil && u.Active && u.CanWrite(importArea(kind)) && (kind != ImportMembers || mayRecordFromPaper(u) == nil)
}

// MayImport refuses a user who may not import files of the kind, before
// the file is read.
func (s *Service) MayImport(ctx context.Context, kind string) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite(importArea(kind)) {
		return domain.Errorf(domain.EForbidden, "Vai trò %s không được phép nhập %s", domain.RoleName(me.Role), strings.ToLower(ImportKindName(kind)))
	}
	if kind == ImportMembers && mayRecordFromPaper(me) != nil {
		// the members import records admission decisions, as the person
		// page's form does from paper: organizers and admins only
		return domain.Errorf(domain.EForbidden, "Vai trò %s không được phép nhập danh sách đảng viên: quyết định kết nạp của người được kết nạp "+
			"trước khi dùng ketnap do cán bộ tổ chức hoặc quản trị viên ghi; người được kết nạp qua ketnap có quyết định ở hồ sơ kết nạp",
			domain.RoleName(me.Role))
	}
	return nil
}

// importArea is the area of the data a kind of import writes.
func importArea(kind string) string {
	if kind == ImportOrgs || kind == ImportTargets {
		return "org"
	}
	return "people"
}

// importRun is one import under way: who imports, the options, the report
// so far and the organizations looked up (each code once).
type importRun struct {
	s    *Service
	ctx  context.Context
	me   *domain.User
	opt  ImportOptions
	rep  *ImportReport
	orgs map[string]*domain.Org // code → organization in the store, in or out of the user's subtree
	byID map[int64]*domain.Org
	none map[string]bool // codes not in the store
	err  error           // the first failure that is not a row's fault
	nerr int             // problems so far, kept in rep.Problems or not
}

// startImport checks that the user may import the kind and loads their
// subtree once (the codes of a file are mostly in it).
func (s *Service) startImport(ctx context.Context, kind string, opt ImportOptions) (*importRun, error) {
	if err := s.MayImport(ctx, kind); err != nil {
		return nil, err
	}
	me := UserFrom(ctx)
	orgs, err := s.store.Subtree(ctx, scopePath(me), time.Time{})
	if err != nil {
		return nil, err
	}
	r := &importRun{s: s, ctx: ctx, me: me, opt: opt, rep: &ImportReport{},
		orgs: make(map[string]*domain.Org, len(orgs)), byID: make(map[int64]*domain.Org, len(orgs)), none: map[string]bool{}}
	for _, o := range orgs {
		r.orgs[o.Code], r.byID[o.ID] = o, o
	}
	return r, nil
}

// lookup finds the organization with the code anywhere in the store, nil
// when there is none.
func (r *importRun) lookup(code string) *domain.Org {
	code = strings.ToLower(strings.TrimSpace(code))
	if o := r.orgs[code]; o != nil || r.none[code] {
		return o
	}
	o, err := r.s.store.GetOrgByCode(r.ctx, code)
	if err != nil {
		if domain.ErrorCode(err) != domain.ENotFound {
			r.fault(err)
		}
		r.none[code] = true
		return nil
	}
	r.orgs[code], r.byID[o.ID] = o, o
	return o
}

// org finds the organization of a code the file gives to import into: in
// the store and in the user's subtree. For a user bound to a unit, a code
// outside the subtree and an unknown code get the one out-of-scope answer.
func (r *importRun) org(code string) (*domain.Org, error) {
	o := r.lookup(code)
	if o == nil && r.me.OrgPath == "" {
		return nil, domain.Errorf(domain.ENotFound, "Không có tổ chức mã %q (xem danh sách mã ở trang “Danh mục” của tệp mẫu)", strings.ToLower(strings.TrimSpace(code)))
	}
	if o == nil || !r.me.Sees(o.Path) {
		return nil, outOfScope("")
	}
	return o, nil
}

// codeOf is the code of the organization with the id ("" for none).
func (r *importRun) codeOf(id int64) string {
	if id == 0 {
		return ""
	}
	if o := r.byID[id]; o != nil {
		return o.Code
	}
	o, err := r.s.store.GetOrg(r.ctx, id)
	if err != nil {
		r.fault(err)
		return ""
	}
	r.orgs[o.Code], r.byID[o.ID] = o, o
	return o.Code
}

// fault remembers the first failure that is not a row's fault: the import
// stops with it once the row at hand is done.
func (r *importRun) fault(err error) {
	if r.err == nil {
		r.err = err
	}
}

// refuse records err as a problem of the row i: on field, or when field is
// "" on the field the error names.
func (r *importRun) refuse(i int, field string, err error) {
	if field == "" {
		if e, ok := errors.AsType[*domain.Error](err); ok {
			field = e.Field
		}
	}
	r.nerr++
	r.rep.Problems = append(r.rep.Problems, RowProblem{Row: i, Field: field, Message: domain.ErrorMessage(err)})
	if len(r.rep.Problems) >= 2*ImportMaxProblems {
		r.trim()
	}
}

// trim keeps the first ImportMaxProblems problems in row order (those of
// a row in the order they came): a file of wrong rows costs a thousand
// problems, not one for every cell.
func (r *importRun) trim() {
	slices.SortStableFunc(r.rep.Problems, func(a, b RowProblem) int { return a.Row - b.Row })
	if len(r.rep.Problems) > ImportMaxProblems {
		clear(r.rep.Problems[ImportMaxProblems:])
		r.rep.Problems = r.rep.Problems[:ImportMaxProblems]
	}
}

// refusef records a problem of the row i on field.
func (r *importRun) refusef(i int, field, format string, args ...any) {
	r.refuse(i, field, domain.FieldError(field, format, args...))
}

// problems is how many problems the rows have so far.
func (r *importRun) problems() int { return r.nerr }

// progress tells the caller that done rows of the phase are done, every
// ImportProgressEvery rows.
func (r *importRun) progress(phase string, done, total int) {
	if r.opt.Progress != nil && done > 0 && done%ImportProgressEvery == 0 {
		r.opt.Progress(phase, done, total)
	}
}

// clean reports whether the file has no problem so far: its unreadable
// rows (the caller's) and the rows judged here.
func (r *importRun) clean() bool { return r.opt.Unreadable == 0 && r.nerr == 0 }

// writes reports whether the valid rows are to be written: not on a dry
// run, not when a row is wrong unless ValidOnly, not when none is valid.
func (r *importRun) writes() bool {
	return !r.opt.DryRun && (r.opt.ValidOnly || r.clean()) && r.rep.Valid > 0
}

// done returns the report with its problems in row order.
func (r *importRun) done() *ImportReport {
	r.trim()
	r.rep.More = r.nerr - len(r.rep.Problems)
	return r.rep
}

// sameFold reports whether two names are the same but for case and marks.
func sameFold(a, b string) bool {
	return strings.TrimSpace(vn.Fold(a)) == strings.TrimSpace(vn.Fold(b))
}

// writePeople writes people already judged (members[i] is people[i]'s
// admission, or nil) in one transaction with an audit record for each
// person and one for the import: all of them or none. progress, when set,
// is called with the number written so far.
func (s *Service) writePeople(ctx context.Context, me *domain.User, kind string, people []*domain.Person, members []*domain.Membership,
	updates []personUpdate, progress func(int)) error {
	now := s.Now()
	return s.store.Tx(ctx, func(tx *store.Store) error {
		ts := s.in(tx)
		recs := make([]store.AuditRecord, 0, len(people)+len(updates)+1)
		for k, u := range updates {
			p := *u.p // a replay after a refused row starts from the version read
			if err := tx.UpdatePerson(ctx, &p, now); err != nil {
				return rowFailed(len(people)+k, err)
			}
			recs = append(recs, updateRecord(now, me, u, kind, 0))
		}
		for i, p := range people {
			if err := tx.CreatePerson(ctx, p, now); err != nil {
				return rowFailed(i, err)
			}
			recs = append(recs, importRecord(now, me, "create", p, kind, 0))
			p.NameKey = "" // written; 50 MB for the 200,000 people of a large file
			if i < len(members) && members[i] != nil {
				m := members[i]
				m.PersonID = p.ID
				if err := tx.CreateMembership(ctx, m); err != nil {
					return rowFailed(i, err)
				}
				if m.Status == domain.StageProbationary {
					if err := ts.openImportedCase(ctx, me, p, m); err != nil {
						return rowFailed(i, err)
					}
				}
			}
			if progress != nil && (i+1)%ImportProgressEvery == 0 {
				progress(i + 1)
			}
		}
		sum, err := auditRecord(now, me, "import", "person", 0, map[string]any{"kind": kind, "count": len(people), "updated": len(updates)})
		if err != nil {
			return err
		}
		return tx.AuditBatch(ctx, append(recs, sum))
	})
}

// importRecord is the audit record of one person an import created
// ("create") or whose case gained steps ("update"), written with the
// import's other records in one batch.
func importRecord(now time.Time, me *domain.User, op string, p *domain.Person, kind string, steps int) store.AuditRecord {
	return personRecord(now, me, op, p, kind, steps, nil)
}

// updateRecord is the audit record of a person an import updated: the
// fields changed, each with its old and new value.
func updateRecord(now time.Time, me *domain.User, u personUpdate, kind string, steps int) store.AuditRecord {
	return personRecord(now, me, "update", u.p, kind, steps, u.changes)
}

// FieldChange is a field of a record changed: its old and new value.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

func personRecord(now time.Time, me *domain.User, op string, p *domain.Person, kind string, steps int, changed []FieldChange) store.AuditRecord {
	d := struct {
		Import  string        `json:"import"`
		Name    string        `json:"name"`
		Org     int64         `json:"org"`
		Stage   string        `json:"stage"`
		Steps   int           `json:"steps,omitempty"`
		Changed []FieldChange `json:"changed,omitempty"`
	}{kind, p.FullName, p.OrgID, p.Stage, steps, changed}
	r, _ := auditRecord(now, me, op, "person", p.ID, d) // strings and numbers always marshal
	return r
}

// openImportedCase opens the case of a probationary member imported with
// the decision (domain.CaseImported): awaiting the ceremony, or in
// probation from the ceremony, so that the ceremony and recognition
// deadlines and the probation tracker cover the members decided before
// ketnap. A member of an organization that is not a chapter gets none
// (the case belongs to a chapter).
func (s *Service) openImportedCase(ctx context.Context, me *domain.User, p *domain.Person, m *domain.Membership) error {
	org, err := s.store.GetOrg(ctx, p.OrgID)
	if err != nil {
		return err
	}
	if !org.Kind.IsChapter() {
		return nil
	}
	decided := m.DecisionDate
	c := &domain.Case{PersonID: p.ID, OrgID: org.ID, Kind: domain.CaseImported, Stage: domain.CaseDecided,
		StageBefore: domain.StageCandidate, OpenedOn: decided, RulesID: rules.InForce(decided).ID, DeciderID: m.DecidedByID,
		DecisionNo: m.DecisionNo, DecisionDate: &decided, MembershipID: m.ID, CeremonyDate: m.CeremonyDate}
	if c.CeremonyDate != nil {
		c.Stage = domain.CaseProbation
	}
	st := &caseState{me: me, c: c, path: org.Path, person: p, org: org, parts: &store.CaseParts{}, today: s.DefaultAsOf(ctx)}
	if st.cal, err = s.Calendar(ctx); err != nil {
		return err
	}
	pl, err := s.plan(ctx, s.store, st)
	if err != nil {
		return err
	}
	c.NextAction, c.NextOwner, c.NextDue = pl.Action, pl.Owner, pl.Due
	if err := s.store.CreateCase(ctx, c, s.Now()); err != nil {
		return err
	}
	return s.store.SetCaseDeadlines(ctx, c, pl.Deadlines, s.deadlineDay(ctx))
}

// rowFailure is a refusal of the write of a row (its index in the rows
// written): a unit closed while units under it stay open, a parent closed
// before its child. The checks of the rows cannot see it (it depends on
// the other rows' writes), so the write finds it, on a dry run too.
type rowFailure struct {
	at  int
	err error
}

func (f *rowFailure) Error() string { return f.err.Error() }

// rowFailed wraps the error of the row at as its failure when it is the
// row's fault (a *domain.Error that is not internal).
func rowFailed(at int, err error) error {
	if e, ok := errors.AsType[*domain.Error](err); ok && e.Code != domain.EInternal {
		return &rowFailure{at: at, err: err}
	}
	return err
}

// replayWrites writes the rows kept with write, in one transaction that
// write rolls back (errNoCommit) unless commit: on a dry run, and when a
// row is wrong without ValidOnly. So the dry run meets what the real run
// meets, and a file with wrong rows has the write's problems listed with
// the others (issue 14, item 3). A row the write refuses (a *rowFailure,
// its index in *at, the rows' indexes of the rows written) becomes a
// problem on its row and field, drop removes it, and the others are
// written again without it.
func (r *importRun) replayWrites(at *[]int, write func(commit bool) error, drop func(k int)) error {
	for len(*at) > 0 {
		commit := !r.opt.DryRun && (r.opt.ValidOnly || r.clean())
		err := write(commit)
		f, ok := errors.AsType[*rowFailure](err)
		if !ok {
			if errors.Is(err, errNoCommit) {
				err = nil
			}
			if err == nil && commit {
				r.rep.Imported = len(*at)
			}
			return err
		}
		r.refuse((*at)[f.at], "", f.err)
		drop(f.at)
		*at = slices.Delete(*at, f.at, f.at+1)
		r.rep.Valid--
		r.rep.Accepted = *at
	}
	return nil
}
