package importer

import (
	"context"
	"io"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// Exports in the import's own format: the organizations of a subtree and
// the targets of a year, written on the template of their kind, so that a
// unit can edit them in Excel and import the file back (what did not
// change is reported unchanged).

// ExportOrgs writes the organizations under code (the user's own unit
// when empty), closed ones included, parents before children, with their
// closing, successor and the admission authority recorded on them.
func ExportOrgs(ctx context.Context, svc *service.Service, code string, w io.Writer) error {
	root, err := exportRoot(ctx, svc, code)
	if err != nil {
		return err
	}
	orgs, err := svc.LegacyStore().Subtree(ctx, root.Path, time.Time{})
	if err != nil {
		return err
	}
	codes := map[int64]string{}
	for _, o := range orgs {
		codes[o.ID] = o.Code
	}
	codeOf := func(id int64) string {
		if c, ok := codes[id]; ok || id == 0 {
			return c
		}
		if o, err := svc.LegacyStore().GetOrg(ctx, id); err == nil {
			codes[id] = o.Code
			return o.Code
		}
		return ""
	}
	rows := make([][]any, 0, len(orgs))
	for _, o := range orgs {
		closed := ""
		if o.ValidTo != nil {
			closed = vn.Date(*o.ValidTo)
		}
		decider, authorised, from := "", "", ""
		as, err := svc.LegacyStore().Authorities(ctx, o.ID)
		if err != nil {
			return err
		}
		if len(as) > 0 { // the latest record, with its date (the older ones stay as they are)
			decider, from = codeOf(as[0].DeciderID), vn.Date(as[0].ValidFrom)
			if as[0].Authorised {
				authorised = "Có"
			}
		}
		rows = append(rows, []any{o.Code, o.Name, o.Kind.Name(), o.Sector.Name(), codeOf(o.ParentID),
			vn.Date(o.ValidFrom), closed, codeOf(o.SuccessorID), decider, authorised, from})
	}
	return writeBook(ctx, svc, KindOrgs, rows, w)
}

// ExportTargets writes the targets of the year of the organizations under
// code (the user's own unit when empty), with their breakdown lines.
func ExportTargets(ctx context.Context, svc *service.Service, code string, year int, w io.Writer) error {
	root, err := exportRoot(ctx, svc, code)
	if err != nil {
		return err
	}
	if year < 1930 || year > 2200 {
		return domain.FieldError("year", "Năm %d không hợp lệ", year)
	}
	orgs, err := svc.LegacyStore().Subtree(ctx, root.Path, time.Time{})
	if err != nil {
		return err
	}
	byID := map[int64]*domain.Org{}
	for _, o := range orgs {
		byID[o.ID] = o
	}
	ts, err := svc.LegacyStore().Targets(ctx, root.Path, year)
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(ts))
	for _, o := range orgs { // in the tree's order, the quota before the plan
		for _, kind := range []string{domain.TargetQuota, domain.TargetPlan} {
			for _, t := range ts {
				if t.OrgID != o.ID || t.Kind != kind {
					continue
				}
				name, deadline := "Chỉ tiêu", ""
				if kind == domain.TargetPlan {
					name = "Kế hoạch"
				}
				if t.Deadline != nil {
					deadline = vn.Date(*t.Deadline)
				}
				row := []any{o.Code, t.Year, name, t.Value, deadline}
				for _, b := range domain.BreakdownKeys {
					if v, ok := t.Breakdown[b.Code]; ok {
						row = append(row, v)
					} else {
						row = append(row, "")
					}
				}
				rows = append(rows, row)
			}
		}
	}
	return writeBook(ctx, svc, KindTargets, rows, w)
}

// exportRoot is the organization an export starts from, in the user's scope.
func exportRoot(ctx context.Context, svc *service.Service, code string) (*domain.Org, error) {
	if code != "" {
		return svc.Org(ctx, code)
	}
	return svc.HomeOrg(ctx)
}
