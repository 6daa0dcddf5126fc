package importer

import (
	"fmt"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// orgsKind checks the rows of an organizations file and returns the writer.
func (im *importer) orgsKind() (func() (int, error), error) {
	type fileOrg struct {
		o   *domain.Org
		row int
		bad bool
	}
	inFile := map[string]*fileOrg{}
	var orgs []*domain.Org
	var parents []string
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
		fo := &fileOrg{o: o, row: r.num}
		if code != "" {
			if prev := inFile[code]; prev != nil {
				im.problem(r, ColOrg, fmt.Sprintf("Mã tổ chức %s trùng với dòng %d của tệp", code, prev.row))
			} else {
				inFile[code] = fo
			}
		}
		parentCode := strings.ToLower(strings.TrimSpace(im.t.get(r, ColParent)))
		var parent *domain.Org
		if parentCode != "" {
			if pf := inFile[parentCode]; pf != nil && pf != fo {
				if pf.bad {
					im.problem(r, ColParent, fmt.Sprintf("Tổ chức cấp trên %s ở dòng %d có lỗi nên chưa nhập được", parentCode, pf.row))
				} else {
					parent = pf.o
				}
			} else if p, msg := im.org(parentCode); p == nil {
				im.problem(r, ColParent, msg)
			} else {
				parent = p
			}
		}
		if parent != nil && !from.IsZero() && from.Before(parent.ValidFrom) {
			im.problem(r, ColFounded, fmt.Sprintf("Ngày thành lập không được trước ngày thành lập của tổ chức cấp trên (%s)", vn.Date(parent.ValidFrom)))
		}
		unchanged := false
		if len(im.res.Errors) == before {
			if err := o.Validate(); err != nil {
				im.serviceProblem(r, err, ColOrgKind)
			} else if old, _ := im.org(code); old != nil || im.orgs[code] != nil {
				if old == nil {
					old = im.orgs[code]
				}
				pc := ""
				if old.ParentID != 0 {
					if p, err := im.svc.Store.GetOrg(im.ctx, old.ParentID); err == nil {
						pc = p.Code
					}
				}
				if key(old.Name) == key(o.Name) && pc == parentCode {
					unchanged = true
					*o = *old
				} else {
					im.problem(r, ColOrg, fmt.Sprintf("Mã tổ chức %s đã được dùng cho %s", code, old.Name))
				}
			}
		}
		if len(im.res.Errors) > before {
			fo.bad = true
			continue
		}
		if unchanged {
			im.res.Unchanged++
			continue
		}
		im.preview(r)
		orgs = append(orgs, o)
		parents = append(parents, parentCode)
	}
	im.res.Valid = len(orgs)
	return func() (int, error) {
		if err := im.svc.ImportOrgs(im.ctx, orgs, parents); err != nil {
			return 0, err
		}
		return len(orgs), nil
	}, nil
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
		if kind == domain.TargetQuota && o.ID == im.me.OrgID {
			im.problem(r, ColTargetKind, fmt.Sprintf("Chỉ tiêu của %s do cấp trên giao; đơn vị tự đặt kế hoạch của mình", o.Name))
			continue
		}
		t := &domain.Target{OrgID: o.ID, Year: year, Kind: kind, Value: value}
		if !deadline.IsZero() {
			t.Deadline = &deadline
		}
		if err := t.Validate(); err != nil {
			im.serviceProblem(r, err, ColTargetKind)
			continue
		}
		k := tkey{o.ID, year, kind}
		if first, dup := seen[k]; dup {
			im.problem(r, ColOrg, fmt.Sprintf("Chỉ tiêu này (%s, năm %d) trùng với dòng %d của tệp", o.Code, year, first))
			continue
		}
		seen[k] = r.num
		if !loaded[year] {
			loaded[year] = true
			ts, err := im.svc.Store.Targets(im.ctx, im.scopePath(), year)
			if err != nil {
				return nil, err
			}
			for _, x := range ts {
				existing[tkey{x.OrgID, x.Year, x.Kind}] = x
			}
		}
		if old := existing[k]; old != nil && old.Value == t.Value && len(old.Breakdown) == 0 &&
			((old.Deadline == nil && t.Deadline == nil) || (old.Deadline != nil && t.Deadline != nil && old.Deadline.Equal(*t.Deadline))) {
			im.res.Unchanged++
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
