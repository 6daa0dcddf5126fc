package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// The classes report and its alerts (DOMAIN §6, §7): classes held,
// learners and outcomes per programme in a year up to a date; sources not
// sent to any class for more than N months, per chapter; candidates with a
// valid awareness certificate not yet voted on; certificates about to lapse.

// Defaults of the classes report.
const (
	DefaultNotSentMonths = store.FunnelNotSentMonths // "sources not sent to a class for more than 6 months"
	DefaultLapseDays     = 90                        // "certificates about to lapse": within 90 days
)

// ClassReportQuery selects the report: the unit, year and date of a
// report query (ReportQuery's defaults) and the thresholds of its alerts.
type ClassReportQuery struct {
	ReportQuery
	Months    int // sources waiting more than this many months; default 6
	LapseDays int // certificates lapsing within this many days; default 90
}

// ClassReport is the classes report of a unit.
type ClassReport struct {
	Org        *domain.Org
	Year       int
	AsOf       time.Time
	From, To   time.Time // the period counted: 1/1 of the year to the as-of date (or 31/12)
	Months     int
	LapseDays  int
	Cutoff     time.Time // sources in the pool on or before this day count as waiting
	Awareness  domain.ProgrammeCount
	NewMember  domain.ProgrammeCount
	Other      domain.ProgrammeCount
	NotSent    int                   // sources not sent to any class for more than Months months
	ByChapter  []domain.ChapterCount // the same per chapter, most first
	Certified  int                   // sources and candidates holding a valid awareness certificate
	Lapsing    int                   // of those, certificates lapsing within LapseDays days
	LapseUntil time.Time
}

// notSentMonths fills the default of months and checks it.
func notSentMonths(months *int) error {
	if *months == 0 {
		*months = DefaultNotSentMonths
	}
	if *months < 1 || *months > 120 {
		return domain.FieldError("months", "Số tháng phải từ 1 đến 120")
	}
	return nil
}

// normalise fills the defaults of the alerts' thresholds and checks them.
func (q *ClassReportQuery) normalise() error {
	if err := notSentMonths(&q.Months); err != nil {
		return err
	}
	if q.LapseDays == 0 {
		q.LapseDays = DefaultLapseDays
	}
	if q.LapseDays < 1 || q.LapseDays > 3650 {
		return domain.FieldError("lapse_days", "Số ngày phải từ 1 đến 3.650")
	}
	return nil
}

// notSentCutoff is the last day of entering the pool that makes a source
// not sent to a class by asof a waiting one.
func notSentCutoff(asof time.Time, months int) time.Time {
	return domain.AddMonths(asof, -months).AddDate(0, 0, -1)
}

// ClassReport counts the classes of the year up to the as-of date.
//
//   - classes: classes of the programme, not cancelled, whose first day
//     falls between 1 January and the as-of date (31 December at most),
//     organised by the unit or its subtree or with a learner from it;
//   - learners: their enrolments (not withdrawn) of people of the subtree;
//     a person in two classes counts twice, as the article's "350 learners
//     in 4 classes" does;
//   - passed: of those, the learners whose result (essay or retake) is a
//     pass dated on or before the as-of date;
//   - sources not sent: people of the subtree at the source stage, in the
//     pool since more than Months months before the as-of date (the date
//     they entered the pool, else the day their record was created), never
//     enrolled in a class (not cancelled) starting on or before the date.
func (s *Service) ClassReport(ctx context.Context, q ClassReportQuery) (*ClassReport, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if err := q.normalise(); err != nil {
		return nil, err
	}
	rs, err := s.resolveReport(ctx, q.ReportQuery)
	if err != nil {
		return nil, err
	}
	org := rs.Org
	r := &ClassReport{Org: org, Year: rs.Year, AsOf: rs.AsOf, Months: q.Months, LapseDays: q.LapseDays}
	var ok bool
	if r.From, r.To, ok = window(rs.Year, rs.AsOf); ok {
		counts, err := s.store.ClassCounts(ctx, org.Path, r.From, r.To)
		if err != nil {
			return nil, err
		}
		for p, dst := range map[string]*domain.ProgrammeCount{domain.ProgAwareness: &r.Awareness,
			domain.ProgNewMember: &r.NewMember, domain.ProgOther: &r.Other} {
			if c := counts[p]; c != nil {
				*dst = *c
			}
		}
	}
	r.Cutoff = notSentCutoff(r.AsOf, q.Months)
	// under the unit's place on the date (the units are read in that day's tree)
	if r.ByChapter, err = s.sourcesNotSent(ctx, s.pathOn(ctx, org, r.AsOf), r.AsOf, q.Months); err != nil {
		return nil, err
	}
	for _, c := range r.ByChapter {
		r.NotSent += c.Count
	}
	if _, r.Certified, err = s.store.AwarenessHolders(ctx, org.Path, r.AsOf, time.Time{}, 1, 0); err != nil {
		return nil, err
	}
	r.LapseUntil = r.AsOf.AddDate(0, 0, q.LapseDays)
	if _, r.Lapsing, err = s.store.AwarenessHolders(ctx, org.Path, r.AsOf, r.LapseUntil, 1, 0); err != nil {
		return nil, err
	}
	return r, nil
}

// PoolQuery selects a page of a list of the classes report: the unit and
// date of a report query (ReportQuery's defaults; the year is not used).
type PoolQuery struct {
	ReportQuery
	Months    int // for the sources not sent
	LapseDays int // for the lapsing certificates; 0 = every valid certificate
	Page      int
	PerPage   int
}

func (q *PoolQuery) page() (limit, offset int) {
	if q.PerPage <= 0 || q.PerPage > 200 {
		q.PerPage = 50
	}
	q.Page = max(q.Page, 1)
	return q.PerPage, (q.Page - 1) * q.PerPage
}

// SourcesNotSentPage is one page of sources never sent to a class.
type SourcesNotSentPage struct {
	Org     *domain.Org
	AsOf    time.Time
	Months  int
	Cutoff  time.Time
	People  []domain.PoolRow
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p *SourcesNotSentPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// SourcesNotSent lists the sources of a unit not sent to any class for
// more than q.Months months (default 6), the longest waiting first.
func (s *Service) SourcesNotSent(ctx context.Context, q PoolQuery) (*SourcesNotSentPage, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if err := notSentMonths(&q.Months); err != nil {
		return nil, err
	}
	r, err := s.resolveReport(ctx, q.ReportQuery)
	if err != nil {
		return nil, err
	}
	limit, offset := q.page()
	cutoff := notSentCutoff(r.AsOf, q.Months)
	people, total, err := s.store.SourcesNotSent(ctx, r.Org.Path, cutoff, r.AsOf, limit, offset)
	if err != nil {
		return nil, err
	}
	return &SourcesNotSentPage{Org: r.Org, AsOf: r.AsOf, Months: q.Months, Cutoff: cutoff, People: people, Total: total,
		Page: q.Page, PerPage: q.PerPage}, nil
}

// HoldersPage is one page of holders of a valid awareness certificate.
type HoldersPage struct {
	Org     *domain.Org
	AsOf    time.Time
	Until   time.Time // zero: every valid certificate
	People  []domain.CertRow
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p *HoldersPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// AwarenessHolders lists the sources and candidates of a unit holding an
// awareness certificate valid on the as-of date, the soonest to lapse
// first; with q.LapseDays only those lapsing within that many days.
func (s *Service) AwarenessHolders(ctx context.Context, q PoolQuery) (*HoldersPage, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if q.LapseDays < 0 || q.LapseDays > 3650 {
		return nil, domain.FieldError("lapse_days", "Số ngày phải từ 0 đến 3.650")
	}
	r, err := s.resolveReport(ctx, q.ReportQuery)
	if err != nil {
		return nil, err
	}
	var until time.Time
	if q.LapseDays > 0 {
		until = r.AsOf.AddDate(0, 0, q.LapseDays)
	}
	limit, offset := q.page()
	people, total, err := s.store.AwarenessHolders(ctx, r.Org.Path, r.AsOf, until, limit, offset)
	if err != nil {
		return nil, err
	}
	return &HoldersPage{Org: r.Org, AsOf: r.AsOf, Until: until, People: people, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// SetSourceSince records the day a source entered the chapter's pool of
// outstanding non-members (the "not sent to a class" alert counts from it).
func (s *Service) SetSourceSince(ctx context.Context, personID int64, since time.Time) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite("people") {
		return cannotWrite(me)
	}
	p, _, err := s.personIn(ctx, me, personID, "")
	if err != nil {
		return err
	}
	if since.IsZero() || since.After(s.DefaultAsOf(ctx)) || since.Before(p.BirthDate) {
		return domain.FieldError("since", "Ngày đưa vào danh sách quần chúng ưu tú không hợp lệ")
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetSourceSince(ctx, p.ID, since); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "source_since", "person", p.ID, map[string]any{"since": since})
	})
}

// SourcesNotSentByUnit counts, per unit of the query's subtree
// (ReportQuery's defaults), the sources not sent to any class for more
// than months months (0: six) on its date (the dashboard's block; the same
// rule as ClassReport's), most first.
func (s *Service) SourcesNotSentByUnit(ctx context.Context, q ReportQuery, months int) ([]domain.ChapterCount, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if err := notSentMonths(&months); err != nil {
		return nil, err
	}
	r, err := s.resolveReport(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.sourcesNotSent(ctx, s.pathOn(ctx, r.Org, r.AsOf), r.AsOf, months)
}

// sourcesNotSent counts the sources under path not sent to a class for
// more than months on asof, per unit, most first: for the default months
// from the people's time kept per unit (store.SourcesNotSentCounted),
// else (or FromScratch) from the people of the subtree.
func (s *Service) sourcesNotSent(ctx context.Context, path string, asof time.Time, months int) ([]domain.ChapterCount, error) {
	if months == store.FunnelNotSentMonths && ctx.Value(scratchKey{}) == nil {
		out, ok, err := s.store.SourcesNotSentCounted(ctx, path, asof)
		if err != nil || ok {
			return out, err
		}
	}
	return s.store.SourcesNotSentByOrg(ctx, path, notSentCutoff(asof, months), asof)
}
