package importer

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// orgsKind checks the rows of an organizations file and returns the writer.
func (im *importer) orgsKind() (func() (int, error), error) {
	type fileOrg struct {
		o      *domain.Org
		parent string
		row    int
		bad    bool
	}
	inFile := map[string]*fileOrg{}
	var out []service.OrgImport
	var outRows []dataRow
	for i, r := range im.t.rows {
		im.progress("kiểm tra", i+1)
		before := len(im.res.Errors)
		im.required(r)
		code := strings.ToLower(strings.TrimSpace(im.t.get(r, ColOrg)))
		from, _ := im.date(r, ColFounded)
		o := &domain.Org{Code: code, Name: vn.Clean(im.t.get(r, ColOrgName)), ValidFrom: from}
		if v := im.t.get(r, ColOrgKind); v != "" {
			k, _ := lookupInto(im, r, ColOrgKind, v, kindPairs(), true)
			o.Kind = domain.OrgKind(k)
		}
		if v := im.t.get(r, ColSector); v != "" {
			s, _ := lookupInto(im, r, ColSector, v, sectorPairs(), true)
			o.Sector = domain.Sector(s)
		}
		parentCode := strings.ToLower(strings.TrimSpace(im.t.get(r, ColParent)))
		fo := &fileOrg{o: o, parent: parentCode, row: r.num}
		if code != "" {
			if prev := inFile[code]; prev != nil {
				im.problem(r, ColOrg, fmt.Sprintf("Mã tổ chức %s trùng với dòng %d của tệp", code, prev.row))
			} else {
				inFile[code] = fo
			}
		}
		var parent *domain.Org
		if parentCode != "" {
			if pf := inFile[parentCode]; pf != nil && pf != fo {
				if pf.bad {
					im.problem(r, ColParent, fmt.Sprintf("Tổ chức cấp trên %s ở dòng %d có lỗi nên chưa nhập được", parentCode, pf.row))
				} else {
					parent = pf.o
				}
			} else if p, msg := im.org(parentCode); p != nil {
				parent = p
			} else if x := im.orgs[code]; x != nil && x.ParentID != 0 && im.codeOf(x.ParentID) == parentCode {
				// the user's own unit, exported with its parent above the
				// user's scope: unchanged, nothing is created under it
				parent, _ = im.svc.LegacyStore().GetOrg(im.ctx, x.ParentID)
			} else {
				im.problem(r, ColParent, msg)
			}
		}
		if parent != nil && !from.IsZero() && from.Before(parent.ValidFrom) {
			im.problem(r, ColFounded, fmt.Sprintf("Ngày thành lập không được trước ngày thành lập của tổ chức cấp trên (%s)", vn.Date(parent.ValidFrom)))
		}
		row := service.OrgImport{ParentCode: parentCode}
		if closed, ok := im.date(r, ColClosed); ok && !closed.IsZero() {
			row.ValidTo = &closed
			o.ValidTo = &closed
		}
		row.Successor = strings.ToLower(strings.TrimSpace(im.t.get(r, ColSuccessor)))
		row.Decider = strings.ToLower(strings.TrimSpace(im.t.get(r, ColDecider)))
		row.Authorised, _ = im.yesNo(r, ColAuthorised)
		if from, ok := im.date(r, ColAuthorityFrom); ok && !from.IsZero() {
			row.AuthorityFrom = from
			if row.Decider == "" {
				im.problem(r, ColAuthorityFrom, "Có ngày áp dụng nhưng chưa ghi mã cấp quyết định kết nạp")
			}
		}
		if row.Successor != "" && row.ValidTo == nil {
			im.problem(r, ColSuccessor, "Có tổ chức kế thừa nhưng chưa có ngày giải thể, sáp nhập")
		}
		if row.Successor != "" && row.Successor == code {
			im.problem(r, ColSuccessor, "Tổ chức không thể kế thừa chính nó")
		}
		if row.Authorised && row.Decider == "" {
			im.problem(r, ColDecider, "Đã ghi “được ủy quyền kết nạp” nhưng chưa ghi mã cấp quyết định (đảng ủy cơ sở được ủy quyền)")
		}
		var old *domain.Org
		if len(im.res.Errors) == before {
			if err := o.Validate(); err != nil {
				im.serviceProblem(r, err, ColOrgKind)
			} else if x, _ := im.org(code); x != nil || im.orgs[code] != nil {
				if x == nil {
					x = im.orgs[code]
				}
				pc := ""
				if x.ParentID != 0 {
					if p, err := im.svc.LegacyStore().GetOrg(im.ctx, x.ParentID); err == nil {
						pc = p.Code
					}
				}
				if key(x.Name) == key(o.Name) && pc == parentCode {
					old = x
				} else {
					im.problem(r, ColOrg, fmt.Sprintf("Mã tổ chức %s đã được dùng cho %s", code, x.Name))
				}
			}
		}
		if len(im.res.Errors) > before {
			fo.bad = true
			continue
		}
		if old != nil {
			// already here: what the file adds is a closing, a successor
			// or an admission authority
			fo.o = old
			row.Existing = old
			if sameDate(old.ValidTo, row.ValidTo) && (row.Successor == "" || im.codeOf(old.SuccessorID) == row.Successor) {
				row.ValidTo, row.Successor = nil, ""
			} else if row.ValidTo == nil {
				im.problem(r, ColClosed, fmt.Sprintf("%s đã giải thể ngày %s; để trống ngày giải thể không mở lại tổ chức (sửa trên trang tổ chức)", old.Name, vn.Date(*old.ValidTo)))
				continue
			}
			if row.Decider != "" {
				// a change of authority applies from its date (today when the
				// file gives none): earlier cases keep their ladder
				if row.AuthorityFrom.IsZero() {
					row.AuthorityFrom = domain.Today(im.svc.Now)
				}
				a, err := im.svc.LegacyStore().AuthorityOn(im.ctx, old, row.AuthorityFrom)
				if err != nil {
					return nil, err
				}
				if a != nil && im.codeOf(a.DeciderID) == row.Decider && a.Authorised == row.Authorised {
					row.Decider, row.AuthorityFrom = "", time.Time{}
				}
			}
			if row.ValidTo == nil && row.Successor == "" && row.Decider == "" {
				im.res.Unchanged++
				continue
			}
		} else {
			if row.Decider != "" && row.AuthorityFrom.IsZero() {
				row.AuthorityFrom = from // a new unit's authority from its founding
			}
			if row.Decider != "" && row.AuthorityFrom.Before(from) {
				im.problem(r, ColAuthorityFrom, "Ngày áp dụng cấp quyết định kết nạp không được trước ngày thành lập")
				continue
			}
			if parentCode == "" && im.me.OrgPath != "" {
				im.problem(r, ColParent, "Chưa nhập “"+ColParent+"”: chỉ quản trị hệ thống mới tạo được tổ chức cấp trên cùng")
				continue
			}
			row.New = o
		}
		im.preview(r)
		out = append(out, row)
		outRows = append(outRows, r)
	}
	// successors and deciders may be anywhere in the file
	lineage := func(code string) []string {
		var chain []string
		for c, n := code, 0; c != "" && n < 64; n++ {
			chain = append(chain, c)
			if f := inFile[c]; f != nil && f.o.ID == 0 {
				c = f.parent
				continue
			}
			o, _ := im.org(c)
			if o == nil {
				if o = im.orgs[c]; o == nil {
					break
				}
			}
			ps, err := im.svc.LegacyStore().OrgsByIDs(im.ctx, store.PathIDs(o.Path))
			if err == nil {
				for _, p := range ps {
					if p.ID != o.ID {
						chain = append(chain, p.Code)
					}
				}
			}
			break
		}
		return chain
	}
	kept := out[:0]
	for i, row := range out {
		r := outRows[i]
		code := strings.ToLower(strings.TrimSpace(im.t.get(r, ColOrg)))
		good := true
		for _, x := range []struct{ col, code string }{{ColSuccessor, row.Successor}, {ColDecider, row.Decider}} {
			if x.code == "" {
				continue
			}
			if f := inFile[x.code]; f != nil {
				if f.bad {
					im.problem(r, x.col, fmt.Sprintf("Tổ chức %s ở dòng %d có lỗi nên chưa nhập được", x.code, f.row))
					good = false
				}
			} else if o, msg := im.org(x.code); o == nil {
				if x.col == ColDecider && im.orgs[x.code] != nil {
					continue // a committee above the user's scope decides: checked against the lineage below
				}
				im.problem(r, x.col, msg)
				good = false
			}
		}
		if good && row.Decider != "" && !slices.Contains(lineage(code), row.Decider) {
			im.problem(r, ColDecider, fmt.Sprintf("Cấp quyết định kết nạp %s không phải là %s hay một cấp trên của nó", row.Decider, code))
			good = false
		}
		if good && row.Authorised {
			k := domain.OrgKind("")
			if f := inFile[row.Decider]; f != nil {
				k = f.o.Kind
			} else if o, _ := im.org(row.Decider); o != nil {
				k = o.Kind
			}
			if k != domain.KindGrassroots {
				im.problem(r, ColAuthorised, fmt.Sprintf("Chỉ đảng ủy cơ sở mới được ủy quyền quyết định kết nạp; %s không phải đảng ủy cơ sở", row.Decider))
				good = false
			}
		}
		if good {
			kept = append(kept, row)
		}
	}
	out = kept
	im.res.Valid = len(out)
	return func() (int, error) {
		if err := im.svc.ImportOrgs(im.ctx, out); err != nil {
			return 0, err
		}
		return len(out), nil
	}, nil
}

func sameDate(a, b *time.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b))
}

// codeOf is the code of the organization with the id ("" when none).
func (im *importer) codeOf(id int64) string {
	if id == 0 {
		return ""
	}
	for _, o := range im.orgs {
		if o.ID == id {
			return o.Code
		}
	}
	if o, err := im.svc.LegacyStore().GetOrg(im.ctx, id); err == nil {
		return o.Code
	}
	return ""
}

// targets checks the rows of a targets file and returns the writer.
func (im *importer) targets() (func() (int, error), error) {
	type tkey struct {
		org  int64
		year int
		kind string
	}
	seen := map[tkey]int{}
	existing := map[tkey]*domain.Target{}
	loaded := map[int]bool{}
	var out []*domain.Target
	for i, r := range im.t.rows {
		im.progress("kiểm tra", i+1)
		before := len(im.res.Errors)
		if !im.required(r) {
			continue
		}
		o, msg := im.org(im.t.get(r, ColOrg))
		if o == nil {
			im.problem(r, ColOrg, msg)
		}
		year, _ := im.integer(r, ColYear)
		value, _ := im.integer(r, ColValue)
		kind, _ := lookupInto(im, r, ColTargetKind, im.t.get(r, ColTargetKind), []struct{ Code, Name string }{
			{domain.TargetQuota, "Chỉ tiêu"}, {domain.TargetPlan, "Kế hoạch"}}, true)
		deadline, _ := im.date(r, ColDeadline)
		if len(im.res.Errors) > before {
			continue
		}
		t := &domain.Target{OrgID: o.ID, Year: year, Kind: kind, Value: value}
		if !deadline.IsZero() {
			t.Deadline = &deadline
		}
		k := tkey{o.ID, year, kind}
		if first, dup := seen[k]; dup {
			im.problem(r, ColOrg, fmt.Sprintf("Chỉ tiêu này (%s, năm %d) trùng với dòng %d của tệp", o.Code, year, first))
			continue
		}
		seen[k] = r.num
		if !loaded[year] && year >= 1930 && year <= 2200 {
			loaded[year] = true
			ts, err := im.svc.LegacyStore().Targets(im.ctx, im.scopePath(), year)
			if err != nil {
				return nil, err
			}
			for _, x := range ts {
				existing[tkey{x.OrgID, x.Year, x.Kind}] = x
			}
		}
		old := existing[k]
		// the breakdown lines: the recorded ones, with those of the
		// columns the file has (an empty cell clears its line)
		if old != nil && len(old.Breakdown) > 0 {
			t.Breakdown = maps.Clone(old.Breakdown)
		}
		for _, b := range domain.BreakdownKeys {
			col := BreakdownPrefix + b.Name
			if _, ok := im.t.cols[key(col)]; !ok {
				if n, kept := t.Breakdown[b.Code]; kept && n > value {
					im.problem(r, ColValue, fmt.Sprintf("Chỉ tiêu chi tiết “%s” đã ghi (%d) lớn hơn Số lượng mới (%d): thêm cột “%s” vào tệp để sửa cả chỉ tiêu chi tiết", b.Name, n, value, col))
				}
				continue
			}
			if im.t.get(r, col) == "" {
				delete(t.Breakdown, b.Code)
				continue
			}
			n, good := im.integer(r, col)
			if !good {
				continue
			}
			if n < 0 || n > value {
				im.problem(r, col, fmt.Sprintf("Chỉ tiêu chi tiết “%s” (%d) phải từ 0 đến Số lượng (%d)", b.Name, n, value))
				continue
			}
			if t.Breakdown == nil {
				t.Breakdown = map[string]int{}
			}
			t.Breakdown[b.Code] = n
		}
		if len(t.Breakdown) == 0 {
			t.Breakdown = nil
		}
		if len(im.res.Errors) > before {
			continue
		}
		if err := t.Validate(); err != nil {
			im.serviceProblem(r, err, ColTargetKind)
			continue
		}
		if old != nil && old.Value == t.Value && maps.Equal(old.Breakdown, t.Breakdown) && sameDate(old.Deadline, t.Deadline) {
			im.res.Unchanged++
			continue
		}
		if kind == domain.TargetQuota && o.ID == im.me.OrgID {
			im.problem(r, ColTargetKind, fmt.Sprintf("Chỉ tiêu của %s do cấp trên giao; đơn vị tự đặt kế hoạch của mình", o.Name))
			continue
		}
		im.preview(r)
		out = append(out, t)
	}
	im.res.Valid = len(out)
	return func() (int, error) {
		if err := im.svc.ImportTargets(im.ctx, out); err != nil {
			return 0, err
		}
		return len(out), nil
	}, nil
}
