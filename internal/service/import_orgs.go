package service

import (
	"context"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// OrgImportRow is one row of an organizations file as the file gives it
// (codes lower-case): a new organization, or one already in the store with
// what the file adds to it (a closing, a successor, an admission authority).
// The problems name the fields code, name, kind, sector, parent,
// valid_from, valid_to, successor, decider, authorised, authority_from and
// youth_union.
type OrgImportRow struct {
	Line int // the row's number in the file, for the messages that name it
	// Unreadable marks a row whose cells the caller could not read (and
	// reported): it is not imported, and the rows that refer to its code
	// are told so.
	Unreadable bool
	Code       string
	Name       string
	Kind       domain.OrgKind
	Sector     domain.Sector
	ParentCode string // in the store or on a row above; "" only for a root
	ValidFrom  time.Time
	ValidTo    *time.Time
	Successor  string // code of the successor, in the store or in the file
	Decider    string // code of the body that decides admissions under it: itself or an ancestor; "" for the tree's default
	Authorised bool   // the decider is an authorised grassroots committee
	// AuthorityFrom is the day the decider applies from; zero: from the
	// founding (a new unit) or from today (a unit already in the store).
	AuthorityFrom time.Time
	// AuthorityReason is why a day before today is recorded: only an admin
	// of the whole system records one, and only with a reason.
	AuthorityReason string
	// YouthUnion: the unit has a Youth Union organisation; nil: for a new
	// unit the default of its kind and sector, for one in the store its
	// recorded answer.
	YouthUnion *bool
}

// orgWrite is a row of an organizations file to write: a new organization
// (New, under ParentCode) or one in the store (Existing), with its closing
// and successor and the body that decides admissions under it.
type orgWrite struct {
	New           *domain.Org
	ParentCode    string
	Existing      *domain.Org
	ValidTo       *time.Time
	Successor     string
	Decider       string
	Authorised    bool
	AuthorityFrom time.Time
	Reason        string // why AuthorityFrom is before today
	YouthUnion    *bool  // a unit in the store: its new answer, nil unchanged
	idx           int    // the index of the row among those written
}

func (w orgWrite) code() string {
	if w.New != nil {
		return w.New.Code
	}
	return w.Existing.Code
}

// ImportOrgRows judges the rows of an organizations file and, as the
// options allow, writes the new organizations, the closings and successors
// and the admission authorities in one transaction.
func (s *Service) ImportOrgRows(ctx context.Context, rows []OrgImportRow, opt ImportOptions) (*ImportReport, error) {
	r, err := s.startImport(ctx, ImportOrgs, opt)
	if err != nil {
		return nil, err
	}
	c := &orgCheck{importRun: r, rows: rows, inFile: map[string]*fileOrg{}}
	for i := range rows {
		r.progress(ImportChecking, i+1, len(rows))
		c.row(i)
		if r.err != nil {
			return nil, r.err
		}
	}
	c.references()
	if r.err != nil {
		return nil, r.err
	}
	r.rep.Valid = len(c.out)
	if err := c.write(); err != nil {
		return nil, err
	}
	return r.done(), nil
}

// write writes the rows kept (replayWrites).
func (c *orgCheck) write() error {
	return c.replayWrites(&c.at, func(commit bool) error { return c.s.writeOrgs(c.ctx, c.me, c.out, commit) },
		func(k int) { c.out = slices.Delete(c.out, k, k+1) })
}

// fileOrg is an organization of the file, by its code.
type fileOrg struct {
	o      *domain.Org // the new organization, or the one in the store
	parent string
	line   int
	bad    bool // the row has a problem: nothing refers to it
}

// orgCheck judges the rows of an organizations file.
type orgCheck struct {
	*importRun
	rows   []OrgImportRow
	inFile map[string]*fileOrg
	out    []orgWrite // the rows to write
	at     []int      // the index of each of out in rows
}

// row judges the row i on its own (the references to other rows and units
// are judged once every row is read).
func (c *orgCheck) row(i int) {
	row := &c.rows[i]
	before := c.problems()
	o := &domain.Org{Code: row.Code, Name: vn.Clean(row.Name), Kind: row.Kind, Sector: row.Sector, ValidFrom: row.ValidFrom, ValidTo: row.ValidTo,
		YouthUnion: domain.DefaultYouthUnion(row.Kind, row.Sector)}
	if row.YouthUnion != nil {
		o.YouthUnion = *row.YouthUnion
	}
	fo := &fileOrg{o: o, parent: row.ParentCode, line: row.Line}
	if prev := c.inFile[o.Code]; prev != nil && o.Code != "" {
		c.refusef(i, "code", "Mã tổ chức %s trùng với dòng %d của tệp", o.Code, prev.line)
	} else if o.Code != "" {
		c.inFile[o.Code] = fo
	}
	if row.Unreadable {
		fo.bad = true
		return
	}
	if parent := c.parent(i, fo); parent != nil && !o.ValidFrom.IsZero() {
		if err := foundedWithin(o.ValidFrom, parent); err != nil {
			c.refuse(i, "valid_from", err)
		}
	}
	c.authorityFacts(i)
	var old *domain.Org
	if c.problems() == before {
		old = c.existing(i, o)
	}
	w := orgWrite{ParentCode: row.ParentCode, ValidTo: row.ValidTo, Successor: row.Successor, Decider: row.Decider,
		Authorised: row.Authorised, AuthorityFrom: row.AuthorityFrom, Reason: vn.Clean(row.AuthorityReason), YouthUnion: row.YouthUnion}
	switch {
	case c.problems() > before:
	case old != nil:
		fo.o = old
		if !c.change(i, old, &w) {
			fo.bad = c.problems() > before
			return
		}
	default:
		c.create(i, o, &w)
	}
	if c.problems() > before {
		fo.bad = true
		return
	}
	c.out = append(c.out, w)
	c.at = append(c.at, i)
}

// parent finds the parent of the row i's organization: a row above, or a
// unit of the user's subtree (or, for the user's own unit exported with
// its parent, the parent above the user's scope).
func (c *orgCheck) parent(i int, fo *fileOrg) *domain.Org {
	code := fo.parent
	if code == "" {
		return nil
	}
	if pf := c.inFile[code]; pf != nil && pf != fo {
		if pf.bad {
			c.refusef(i, "parent", "Tổ chức cấp trên %s ở dòng %d có lỗi nên chưa nhập được", code, pf.line)
			return nil
		}
		return pf.o
	}
	p, err := c.org(code)
	if p != nil {
		return p
	}
	if x := c.orgs[fo.o.Code]; x != nil && x.ParentID != 0 && c.codeOf(x.ParentID) == code {
		// the user's own unit, exported with its parent above the user's
		// scope: unchanged, nothing is created under it
		return c.byID[x.ParentID]
	}
	c.refuse(i, "parent", err)
	return nil
}

// authorityFacts judges the closing, successor and authority cells of the
// row i together.
func (c *orgCheck) authorityFacts(i int) {
	row := &c.rows[i]
	if !row.AuthorityFrom.IsZero() && row.Decider == "" {
		c.refusef(i, "authority_from", "Có ngày áp dụng nhưng chưa ghi mã cấp quyết định kết nạp")
	}
	if row.Successor != "" && row.ValidTo == nil {
		c.refuse(i, "", errSuccessorNeedsClosing())
	}
	if row.Successor != "" && row.Successor == row.Code {
		c.refuse(i, "", errSelfSuccessor())
	}
	if row.Authorised && row.Decider == "" {
		c.refusef(i, "decider", "Đã ghi “được ủy quyền kết nạp” nhưng chưa ghi mã cấp quyết định (đảng ủy cơ sở được ủy quyền)")
	}
}

// existing validates the row i's organization o and returns the one with
// its code in the store, nil when there is none; a code already used for
// another unit is a problem.
func (c *orgCheck) existing(i int, o *domain.Org) *domain.Org {
	if err := o.Validate(); err != nil {
		c.refuse(i, "", err)
		return nil
	}
	x := c.lookup(o.Code)
	if x == nil {
		return nil
	}
	if sameFold(x.Name, o.Name) && c.codeOf(x.ParentID) == c.rows[i].ParentCode {
		return x
	}
	if !c.me.Sees(x.Path) {
		c.refusef(i, "code", "Mã tổ chức %s đã được dùng", o.Code)
		return nil
	}
	c.refusef(i, "code", "Mã tổ chức %s đã được dùng cho %s", o.Code, x.Name)
	return nil
}

// change keeps in w what the row i adds to old, the organization already
// in the store: a closing, a successor, an admission authority or its
// answer on a Youth Union organisation. It reports false when the row adds
// nothing (unchanged) or is wrong.
func (c *orgCheck) change(i int, old *domain.Org, w *orgWrite) bool {
	w.Existing = old
	if sameDate(old.ValidTo, w.ValidTo) && (w.Successor == "" || c.codeOf(old.SuccessorID) == w.Successor) {
		w.ValidTo, w.Successor = nil, ""
	} else if w.ValidTo == nil {
		c.refusef(i, "valid_to", "%s đã giải thể ngày %s; để trống ngày giải thể không mở lại tổ chức (sửa trên trang tổ chức)", old.Name, vn.Date(*old.ValidTo))
		return false
	}
	if w.Decider != "" {
		// a change of authority applies from its date (today when the
		// file gives none): earlier cases keep their ladder
		if w.AuthorityFrom.IsZero() {
			w.AuthorityFrom = c.s.DefaultAsOf(c.ctx)
		}
		a, err := c.s.store.AuthorityOn(c.ctx, old, w.AuthorityFrom)
		if err != nil {
			c.fault(err)
			return false
		}
		if a != nil && c.codeOf(a.DeciderID) == w.Decider && a.Authorised == w.Authorised {
			w.Decider, w.AuthorityFrom = "", time.Time{}
		}
	}
	if w.YouthUnion != nil && *w.YouthUnion == old.YouthUnion {
		w.YouthUnion = nil
	}
	if w.ValidTo == nil && w.Successor == "" && w.Decider == "" && w.YouthUnion == nil {
		c.rep.Unchanged++
		return false
	}
	return true
}

// create keeps in w the new organization o of the row i.
func (c *orgCheck) create(i int, o *domain.Org, w *orgWrite) {
	if w.Decider != "" && w.AuthorityFrom.IsZero() {
		w.AuthorityFrom = o.ValidFrom // a new unit's authority from its founding
	}
	if w.Decider != "" && w.AuthorityFrom.Before(o.ValidFrom) {
		c.refusef(i, "authority_from", "Ngày áp dụng cấp quyết định kết nạp không được trước ngày thành lập")
		return
	}
	if w.ParentCode == "" && c.me.OrgPath != "" {
		c.refuse(i, "parent", errRootsByAdmin())
		return
	}
	w.New = o
}

// authorityAllowed judges who records the admission authority of the row
// i and from when (SetAuthority's rules): the level above the unit (old,
// nil for a unit the file creates under a parent of the user's subtree),
// from today or later unless an admin of the whole system gives a reason.
func (c *orgCheck) authorityAllowed(i int, old *domain.Org, w *orgWrite) bool {
	if old != nil {
		if err := mayRecordAuthority(c.me, old); err != nil {
			c.refuse(i, "decider", err)
			return false
		}
	}
	if err := authorityFromOK(c.me, w.AuthorityFrom, c.s.DefaultAsOf(c.ctx), w.Reason); err != nil {
		field := "authority_from"
		if sysAdmin(c.me) {
			field = "authority_reason"
		}
		c.refuse(i, field, err)
		return false
	}
	return true
}

// references judges the successors and deciders of the rows kept (they
// may be anywhere in the file) and keeps the rows whose references hold.
func (c *orgCheck) references() {
	var out []orgWrite
	var at []int
	for k, w := range c.out {
		if c.referencesHold(c.at[k], w) {
			out = append(out, w)
			at = append(at, c.at[k])
		}
	}
	c.out, c.at, c.rep.Accepted = out, at, at
}

func (c *orgCheck) referencesHold(i int, w orgWrite) bool {
	for _, x := range []struct{ field, code string }{{"successor", w.Successor}, {"decider", w.Decider}} {
		if x.code == "" {
			continue
		}
		if f := c.inFile[x.code]; f != nil {
			if f.bad {
				c.refusef(i, x.field, "Tổ chức %s ở dòng %d có lỗi nên chưa nhập được", x.code, f.line)
				return false
			}
		} else if _, err := c.org(x.code); err != nil {
			if x.field == "decider" && c.lookup(x.code) != nil && slices.Contains(c.lineage(w.code()), x.code) {
				continue // a committee above the user's scope decides: one of the unit's ancestors
			}
			c.refuse(i, x.field, err)
			return false
		}
	}
	if w.Decider == "" {
		return true
	}
	if !c.deciderHolds(i, w) {
		return false
	}
	return c.authorityAllowed(i, w.Existing, &w)
}

// deciderHolds judges the decider of the row i: the unit or one of its
// ancestors, and when authorised a grassroots committee the user may
// authorise.
func (c *orgCheck) deciderHolds(i int, w orgWrite) bool {
	dec := c.fileOrStore(w.Decider)
	if !slices.Contains(c.lineage(w.code()), w.Decider) {
		c.refuse(i, "", errDeciderOutside(c.fileOrStore(w.code()), dec))
		return false
	}
	if w.Authorised {
		k := domain.OrgKind("")
		if f := c.inFile[w.Decider]; f != nil {
			k = f.o.Kind
		} else if o, _ := c.org(w.Decider); o != nil {
			k = o.Kind
		}
		if k != domain.KindGrassroots {
			c.refuse(i, "", errNotGrassroots(dec))
			return false
		}
		if f := c.inFile[w.Decider]; f == nil || f.o.ID != 0 {
			if err := mayAuthorise(c.me, dec); err != nil {
				c.refuse(i, "", err)
				return false
			}
		}
	}
	return true
}

// fileOrStore is the organization of a code the file or the store has.
func (c *orgCheck) fileOrStore(code string) *domain.Org {
	if f := c.inFile[code]; f != nil {
		return f.o
	}
	if o := c.lookup(code); o != nil {
		return o
	}
	return &domain.Org{Code: code, Name: code}
}

// lineage is the code followed by the codes of its ancestors, through the
// file's new units up to the store's.
func (c *orgCheck) lineage(code string) []string {
	var chain []string
	for n := 0; code != "" && n < 64; n++ {
		chain = append(chain, code)
		if f := c.inFile[code]; f != nil && f.o.ID == 0 {
			code = f.parent
			continue
		}
		o := c.lookup(code)
		if o == nil {
			break
		}
		ps, err := c.s.store.OrgsByIDs(c.ctx, store.PathIDs(o.Path))
		if err != nil {
			c.fault(err)
			break
		}
		for _, p := range ps {
			if p.ID != o.ID {
				chain = append(chain, p.Code)
			}
		}
		break
	}
	return chain
}

// writeOrgs writes organizations already judged in one transaction with
// one audit record: the new ones in order (a parent before its children),
// then the closings and successors (the deepest first, so that a unit
// never outlives its parent), then the admission authorities.
func (s *Service) writeOrgs(ctx context.Context, me *domain.User, rows []orgWrite, commit bool) error {
	for k := range rows {
		rows[k].idx = k
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		w := &orgWriter{s: s.in(tx), tx: tx, me: me, made: map[string]*domain.Org{}}
		created, err := w.create(ctx, rows)
		if err != nil {
			return err
		}
		closed, err := w.close(ctx, rows)
		if err != nil {
			return err
		}
		authorities, err := w.authorities(ctx, rows)
		if err != nil {
			return err
		}
		detail := map[string]any{"created": created, "closed": closed, "authorities": authorities}
		if bd := backdated(rows, s.DefaultAsOf(ctx)); len(bd) > 0 {
			detail["backdated_authorities"] = bd
		}
		youth, err := w.youthUnions(ctx, rows)
		if err != nil {
			return err
		}
		if !commit {
			return errNoCommit
		}
		detail["youth_union"] = youth
		return s.audit(ctx, tx, me, "import", "org", 0, detail)
	})
}

// backdatedAuthority is an admission authority an import records from
// before today, with the reason given, for the audit record.
type backdatedAuthority struct {
	Code   string `json:"code"`
	From   string `json:"from"`
	Reason string `json:"reason"`
}

func backdated(rows []orgWrite, today time.Time) []backdatedAuthority {
	var out []backdatedAuthority
	for _, r := range rows {
		if r.Decider != "" && r.AuthorityFrom.Before(today) {
			out = append(out, backdatedAuthority{r.code(), r.AuthorityFrom.Format(domain.DateLayout), r.Reason})
		}
	}
	return out
}

// orgWriter writes the rows of an organizations file in a transaction.
type orgWriter struct {
	s    *Service // bound to tx
	tx   *store.Store
	me   *domain.User
	made map[string]*domain.Org // code → organization created
}

// byCode finds the organization of a code the rows refer to: created by
// the import or in the store, in the user's subtree.
func (w *orgWriter) byCode(ctx context.Context, code string) (*domain.Org, error) {
	if o, ok := w.made[code]; ok {
		return w.tx.GetOrg(ctx, o.ID)
	}
	o, err := w.tx.GetOrgByCode(ctx, code)
	var path string
	if err == nil {
		path = o.Path
	}
	if err := reach(w.me, "", err, path); err != nil {
		return nil, err
	}
	return o, nil
}

func (w *orgWriter) create(ctx context.Context, rows []orgWrite) (int, error) {
	created := 0
	for _, r := range rows {
		o := r.New
		if o == nil {
			continue
		}
		if pc := r.ParentCode; pc != "" {
			parent, err := w.byCode(ctx, pc)
			if err != nil {
				return 0, rowFailed(r.idx, err)
			}
			o.ParentID = parent.ID
		} else if w.me.OrgPath != "" {
			return 0, rowFailed(r.idx, errRootsByAdmin())
		}
		o.ValidTo, o.SuccessorID = nil, 0 // closed below, once every unit exists
		if err := w.tx.CreateOrg(ctx, o); err != nil {
			return 0, rowFailed(r.idx, err)
		}
		w.made[o.Code] = o
		created++
	}
	return created, nil
}

// close records the closings and successors, the deepest units first.
func (w *orgWriter) close(ctx context.Context, rows []orgWrite) (int, error) {
	var closing []orgWrite
	depth := map[string]int{}
	for _, r := range rows {
		if r.ValidTo == nil && r.Successor == "" {
			continue
		}
		o, err := w.byCode(ctx, r.code())
		if err != nil {
			return 0, rowFailed(r.idx, err)
		}
		depth[o.Code] = strings.Count(o.Path, "/")
		closing = append(closing, r)
	}
	slices.SortStableFunc(closing, func(a, b orgWrite) int { return depth[b.code()] - depth[a.code()] })
	for _, r := range closing {
		o, err := w.byCode(ctx, r.code())
		if err != nil {
			return 0, rowFailed(r.idx, err)
		}
		o.ValidTo = r.ValidTo
		if r.Successor != "" {
			succ, err := w.byCode(ctx, r.Successor)
			if err != nil {
				return 0, rowFailed(r.idx, err)
			}
			o.SuccessorID = succ.ID
		}
		if err := w.s.checkValidity(ctx, o); err != nil {
			return 0, rowFailed(r.idx, err)
		}
		if err := w.tx.UpdateOrg(ctx, o); err != nil {
			return 0, rowFailed(r.idx, err)
		}
	}
	return len(closing), nil
}

// youthUnions records the changed answers of units in the store on a
// Youth Union organisation (a new unit got its answer when created).
func (w *orgWriter) youthUnions(ctx context.Context, rows []orgWrite) (int, error) {
	n := 0
	for _, r := range rows {
		if r.New != nil || r.YouthUnion == nil {
			continue
		}
		o, err := w.byCode(ctx, r.code())
		if err != nil {
			return 0, rowFailed(r.idx, err)
		}
		o.YouthUnion = *r.YouthUnion
		if err := w.tx.UpdateOrg(ctx, o); err != nil {
			return 0, rowFailed(r.idx, err)
		}
		n++
	}
	return n, nil
}

// authorities records the bodies that decide admissions.
func (w *orgWriter) authorities(ctx context.Context, rows []orgWrite) (int, error) {
	n := 0
	for _, r := range rows {
		if r.Decider == "" {
			continue
		}
		o, err := w.byCode(ctx, r.code())
		if err != nil {
			return 0, rowFailed(r.idx, err)
		}
		// the deciding committee may be above the user's scope: it is
		// referred to, not written (authorityFor checks it contains o)
		dec, ok := w.made[r.Decider]
		if !ok {
			if dec, err = w.tx.GetOrgByCode(ctx, r.Decider); err != nil {
				return 0, rowFailed(r.idx, err)
			}
		}
		a, err := w.s.authorityFor(ctx, o, dec, r.Authorised, r.AuthorityFrom)
		if err != nil {
			return 0, rowFailed(r.idx, err)
		}
		if err := w.tx.SetAuthority(ctx, a); err != nil {
			return 0, rowFailed(r.idx, err)
		}
		n++
	}
	return n, nil
}

// authorityFor is the admission authority of o when dec decides, from o's
// founding: the grassroots committee's and sub-committee's steps follow
// the tree between them (as ladderOf does when nothing is recorded).
func (s *Service) authorityFor(ctx context.Context, o, dec *domain.Org, authorised bool, from time.Time) (*domain.Authority, error) {
	if !dec.Contains(o) {
		return nil, errDeciderOutside(o, dec)
	}
	if authorised && dec.Kind != domain.KindGrassroots {
		return nil, errNotGrassroots(dec)
	}
	if from.IsZero() {
		from = o.ValidFrom
	}
	a := &domain.Authority{OrgID: o.ID, ValidFrom: from, DeciderID: dec.ID, Authorised: authorised}
	orgs, err := s.store.OrgsByIDs(ctx, store.PathIDs(o.Path))
	if err != nil {
		return nil, err
	}
	for _, x := range orgs {
		if x.ID == dec.ID || !dec.Contains(x) {
			continue
		}
		switch x.Kind {
		case domain.KindSubCommittee:
			a.SubCommittee = true
		case domain.KindGrassroots:
			a.GrassrootsLevel = true
		}
	}
	return a, nil
}
