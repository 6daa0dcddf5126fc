package importer

import (
	"context"
	"io"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// Exports in the import's own format: the organizations of a subtree and
// the targets of a year, written on the template of their kind, so that
// a unit can edit them in Excel and import the file back (what did not
// change is reported unchanged).

// ExportOrgs writes the organizations under code (the user's own unit
// when empty), closed ones included, parents before children, with their
// closing, successor and the admission authority recorded on them.
func ExportOrgs(ctx context.Context, svc *service.Service, code string, w io.Writer) error {
	orgs, err := svc.ExportOrgs(ctx, code)
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(orgs))
	for _, x := range orgs {
		o := x.Org
		closed := ""
		if o.ValidTo != nil {
			closed = vn.Date(*o.ValidTo)
		}
		authorised, from := "", ""
		if a := x.Authority; a != nil { // the latest record, with its date (the older ones stay as they are)
			from = vn.Date(a.ValidFrom)
			if a.Authorised {
				authorised = "Có"
			}
		}
		youth := "Không"
		if o.YouthUnion {
			youth = "Có"
		}
		rows = append(rows, []any{o.Code, o.Name, o.Kind.Name(), o.Sector.Name(), x.Parent,
			vn.Date(o.ValidFrom), closed, x.Successor, x.Decider, authorised, from, youth})
	}
	return writeBook(ctx, svc, KindOrgs, rows, w)
}

// ExportTargets writes the targets of the year of the organizations under
// code (the user's own unit when empty), with their breakdown lines.
func ExportTargets(ctx context.Context, svc *service.Service, code string, year int, w io.Writer) error {
	orgs, ts, err := svc.ExportTargets(ctx, code, year)
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(ts))
	for _, o := range orgs { // in the tree's order, the quota before the plan
		for _, kind := range []string{domain.TargetQuota, domain.TargetPlan} {
			for _, t := range ts {
				if t.OrgID == o.ID && t.Kind == kind {
					rows = append(rows, targetRow(o, t))
				}
			}
		}
	}
	return writeBook(ctx, svc, KindTargets, rows, w)
}

// targetRow is the row of o's target t, in the order of the columns.
func targetRow(o *domain.Org, t *domain.Target) []any {
	deadline := ""
	if t.Deadline != nil {
		deadline = vn.Date(*t.Deadline)
	}
	row := []any{o.Code, t.Year, targetKindName(t.Kind), t.Value, deadline}
	for _, b := range domain.BreakdownKeys {
		if v, ok := t.Breakdown[b.Code]; ok {
			row = append(row, v)
		} else {
			row = append(row, "")
		}
	}
	return row
}
