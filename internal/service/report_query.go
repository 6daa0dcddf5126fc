package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// ReportQuery selects what a report is about: a unit, a year and the day
// it is counted to. The CLI, the pages and the API fill it with what the
// user gave, leaving a field at its zero value when the user omitted it;
// every report use case resolves it itself (resolveReport), so the same
// omitted parameters give the same answer everywhere:
//
//   - OrgCode "": the user's home unit (HomeOrg: their own, or the first
//     root for an admin of the whole system, as the CLI's system actor is);
//   - AsOf zero: the date the pages open on (DefaultAsOf: the demo's date
//     when the demo is loaded, today in Vietnam otherwise);
//   - Year 0: the as-of date's year.
type ReportQuery struct {
	OrgCode string
	Year    int
	AsOf    time.Time
}

// The years a report may be about.
const (
	minReportYear = 1930 // the Party's founding
	maxReportYear = 2200
)

// reportScope is a resolved ReportQuery: the unit, read and checked
// against the user's scope, the year and the as-of date.
type reportScope struct {
	Org  *domain.Org
	Year int
	AsOf time.Time
}

// Query is the resolved query of a progress report: the same unit, year
// and date, to ask another report about them.
func (p *Progress) Query() ReportQuery {
	return ReportQuery{OrgCode: p.Org.Code, Year: p.Year, AsOf: p.AsOf}
}

// Query is the resolved query of the breakdowns: the same unit, year and
// date, to ask another report about them.
func (b *Breakdowns) Query() ReportQuery {
	return ReportQuery{OrgCode: b.Org.Code, Year: b.Year, AsOf: b.AsOf}
}

// resolveReport fills the omitted parts of q with their defaults and
// checks them: the one place where a report's defaults are decided and
// its parameters refused, with one set of messages.
func (s *Service) resolveReport(ctx context.Context, q ReportQuery) (*reportScope, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if q.AsOf.IsZero() {
		q.AsOf = s.DefaultAsOf(ctx)
	}
	if y := q.AsOf.Year(); y < minReportYear || y > maxReportYear {
		return nil, domain.FieldError("asof", "Ngày tính đến %s không hợp lệ: cần từ năm %d đến năm %d", vn.Date(q.AsOf), minReportYear, maxReportYear)
	}
	if q.Year == 0 {
		q.Year = q.AsOf.Year()
	}
	if q.Year < minReportYear || q.Year > maxReportYear {
		return nil, domain.FieldError("year", "Năm %d không hợp lệ", q.Year)
	}
	var o *domain.Org
	var err error
	if q.OrgCode == "" {
		o, err = s.HomeOrg(ctx)
	} else {
		o, err = s.Org(ctx, q.OrgCode)
	}
	if err != nil {
		return nil, err
	}
	return &reportScope{Org: o, Year: q.Year, AsOf: q.AsOf}, nil
}

// requireOpen refuses a report over the tree of a day on which the unit
// did not exist (not yet founded, or closed).
func (r *reportScope) requireOpen() error {
	if !r.Org.OpenOn(r.AsOf) {
		return notOpen(r.Org, r.AsOf)
	}
	return nil
}

func notOpen(o *domain.Org, asof time.Time) error {
	return domain.FieldError("asof", "Ngày %s tổ chức %s chưa thành lập hoặc đã giải thể", vn.Date(asof), o.Name)
}
