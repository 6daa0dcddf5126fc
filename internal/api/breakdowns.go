package api

import (
	"net/http"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// The breakdowns of the admitted, the pipeline funnel and the forecast
// (DOMAIN §7): GET /api/v1/breakdowns and GET /api/v1/funnel, the same
// shapes as `ketnap report breakdowns|funnel --format json`.

// PartJSON is one value of a breakdown.
type PartJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// BreakdownJSON is the admitted split by one dimension; when partition
// is true its parts add up to admitted.
type BreakdownJSON struct {
	Key       string     `json:"key"`
	Title     string     `json:"title"`
	Partition bool       `json:"partition"`
	Parts     []PartJSON `json:"parts"`
}

// ResidenceJSON is a village, buôn or residential group.
type ResidenceJSON struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Commune    string `json:"commune"`
	Admitted   int    `json:"admitted"`
	Members    int    `json:"members"`
	HasChapter bool   `json:"has_chapter"`
	Weak       bool   `json:"no_member_no_chapter"`
}

// SchoolJSON is a high school's admitted students against its enrolment.
type SchoolJSON struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Students int      `json:"students"`
	Admitted int      `json:"admitted"`
	Percent  *float64 `json:"percent"`
}

// VillageChapterJSON is the chapter of a village, buôn or residential
// group with its admissions of the year.
type VillageChapterJSON struct {
	Org      orgRef `json:"org"`
	Place    string `json:"place"`
	Kind     string `json:"kind"`
	Commune  string `json:"commune"`
	Admitted int    `json:"admitted"`
}

// VillageChaptersJSON is the village chapters of the unit: how many, how
// many admitted nobody, and each.
type VillageChaptersJSON struct {
	Total        int                  `json:"total"`
	NoneAdmitted int                  `json:"none_admitted"`
	Units        []VillageChapterJSON `json:"units"`
}

// SchoolsTotalJSON is the high schools' line of totals.
type SchoolsTotalJSON struct {
	Schools  int      `json:"schools"`
	Students int      `json:"students"`
	Admitted int      `json:"admitted"`
	Percent  *float64 `json:"percent"`
}

// BreakdownsJSON is the breakdowns report.
type BreakdownsJSON struct {
	Org               orgRef              `json:"org"`
	Year              int                 `json:"year"`
	AsOf              string              `json:"asof"`
	Admitted          int                 `json:"admitted"`
	AverageAge        *float64            `json:"average_age"`
	Breakdowns        []BreakdownJSON     `json:"breakdowns"`
	Residence         []ResidenceJSON     `json:"residential_units"`
	AdmittedElsewhere int                 `json:"admitted_outside_residential_units"`
	Weak              []ResidenceJSON     `json:"villages_without_member_or_chapter"`
	SchoolYear        int                 `json:"school_year"`
	Schools           []SchoolJSON        `json:"high_schools"`
	SchoolsTotal      SchoolsTotalJSON    `json:"high_schools_total"`
	VillageChapters   VillageChaptersJSON `json:"village_chapters"`
	// The API cuts the three long lists (residential_units,
	// villages_without_member_or_chapter, village_chapters.units) to
	// ?limit= rows (default 1.000; a province or the country holds tens of
	// thousands of villages); the totals are always whole, and
	// lists_truncated says whether a list was cut. The CLI's JSON is whole.
	ResidenceTotal int  `json:"residential_units_total"`
	WeakTotal      int  `json:"villages_without_member_or_chapter_total"`
	Truncated      bool `json:"lists_truncated"`
}

// Defaults and bounds of the breakdowns' ?limit=.
const (
	listsLimit    = 1000
	listsLimitMax = 1_000_000
)

// limitLists cuts the long lists to n rows each.
func (b *BreakdownsJSON) limitLists(n int) {
	if len(b.Residence) > n {
		b.Residence, b.Truncated = b.Residence[:n], true
	}
	if len(b.Weak) > n {
		b.Weak, b.Truncated = b.Weak[:n], true
	}
	if len(b.VillageChapters.Units) > n {
		b.VillageChapters.Units, b.Truncated = b.VillageChapters.Units[:n], true
	}
}

func residenceJSON(l service.ResidenceLine) ResidenceJSON {
	return ResidenceJSON{Code: l.Code, Name: l.Name, Kind: l.Kind, Commune: l.Commune, Admitted: l.Admitted,
		Members: l.Members, HasChapter: l.HasChapter, Weak: l.Weak}
}

// NewBreakdownsJSON turns the breakdowns into their JSON shape.
func NewBreakdownsJSON(b *service.Breakdowns) *BreakdownsJSON {
	out := &BreakdownsJSON{Org: orgRef{Code: b.Org.Code, Name: b.Org.Name}, Year: b.Year, AsOf: b.AsOf.Format(domain.DateLayout),
		Admitted: b.Admitted, AverageAge: b.AverageAge, AdmittedElsewhere: b.AdmittedElsewhere, SchoolYear: b.SchoolYear,
		Breakdowns: []BreakdownJSON{}, Residence: []ResidenceJSON{}, Weak: []ResidenceJSON{}, Schools: []SchoolJSON{}}
	for _, x := range b.Parts {
		bj := BreakdownJSON{Key: x.Key, Title: x.Title, Partition: x.Partition, Parts: []PartJSON{}}
		for _, p := range x.Parts {
			bj.Parts = append(bj.Parts, PartJSON{Key: p.Key, Label: p.Label, Count: p.N})
		}
		out.Breakdowns = append(out.Breakdowns, bj)
	}
	for _, l := range b.Residence {
		out.Residence = append(out.Residence, residenceJSON(l))
	}
	for _, l := range b.Weak {
		out.Weak = append(out.Weak, residenceJSON(l))
	}
	for _, s := range b.Schools {
		out.Schools = append(out.Schools, SchoolJSON{Code: s.Code, Name: s.Name, Students: s.Students, Admitted: s.Admitted, Percent: s.Percent})
	}
	out.ResidenceTotal, out.WeakTotal = len(b.Residence), len(b.Weak)
	t := b.SchoolsTotal
	out.SchoolsTotal = SchoolsTotalJSON{Schools: t.Schools, Students: t.Students, Admitted: t.Admitted, Percent: t.Percent}
	out.VillageChapters = VillageChaptersJSON{Total: len(b.VillageChapters), NoneAdmitted: len(b.VillageChaptersIdle()), Units: []VillageChapterJSON{}}
	for _, v := range b.VillageChapters {
		out.VillageChapters.Units = append(out.VillageChapters.Units, VillageChapterJSON{Org: orgRef{Code: v.Code, Name: v.Name},
			Place: v.Place, Kind: v.PlaceKind, Commune: v.Commune, Admitted: v.Admitted})
	}
	return out
}

// FunnelLineJSON is one unit's pipeline.
type FunnelLineJSON struct {
	Org      orgRef            `json:"org"`
	Stages   map[string]int    `json:"stages"`
	NotSent  int               `json:"sources_not_sent"`
	Overdue  int               `json:"overdue"`
	Stalled  int               `json:"stalled"`
	PastVote int               `json:"past_chapter_vote"`
	Children []*FunnelLineJSON `json:"children,omitempty"`
}

// ForecastJSON is the projection to the target's deadline.
type ForecastJSON struct {
	Admitted    int      `json:"admitted"`
	Quota       *int     `json:"quota"`
	Plan        *int     `json:"plan"`
	Deadline    *date    `json:"deadline"`
	PaceCurrent float64  `json:"pace_current_per_month"`
	PaceNeeded  *float64 `json:"pace_needed_per_month"`
	AtPace      *int     `json:"at_current_pace"`
	PastVote    int      `json:"past_chapter_vote"`
	Projection  *int     `json:"projection"`
	Reaches     *bool    `json:"reaches_target"`
}

// FunnelJSON is the funnel report with the forecast.
type FunnelJSON struct {
	Org       orgRef          `json:"org"`
	Year      int             `json:"year"`
	AsOf      string          `json:"asof"`
	StaleDays int             `json:"stale_days"`
	Stages    []PartJSON      `json:"stages"`
	Unit      *FunnelLineJSON `json:"unit"`
	Forecast  *ForecastJSON   `json:"forecast"`
}

func funnelLine(l *service.FunnelLine, deep bool) *FunnelLineJSON {
	out := &FunnelLineJSON{Org: orgRef{Code: l.Org.Code, Name: l.Org.Name}, Stages: map[string]int{},
		NotSent: l.NotSent, Overdue: l.Overdue, Stalled: l.Stalled, PastVote: l.PastVote}
	for _, s := range service.FunnelStages {
		out.Stages[s.Key] = l.Counts[s.Key]
	}
	if deep {
		for _, c := range l.Children {
			out.Children = append(out.Children, funnelLine(c, false))
		}
	}
	return out
}

// NewFunnelJSON turns the funnel and its forecast into their JSON shape.
func NewFunnelJSON(f *service.Funnel) *FunnelJSON {
	out := &FunnelJSON{Org: orgRef{Code: f.Org.Code, Name: f.Org.Name}, Year: f.Year, AsOf: f.AsOf.Format(domain.DateLayout),
		StaleDays: f.StaleDays, Unit: funnelLine(f.Unit, true)}
	for _, s := range service.FunnelStages {
		out.Stages = append(out.Stages, PartJSON{Key: s.Key, Label: s.Label, Count: f.Unit.Counts[s.Key]})
	}
	if fc := f.Forecast; fc != nil {
		out.Forecast = &ForecastJSON{Admitted: fc.Admitted, Quota: positive(fc.Quota), Plan: positive(fc.Plan), Deadline: datePtr(fc.Deadline),
			PaceCurrent: fc.PaceCurrent, PaceNeeded: fc.PaceNeeded, AtPace: fc.AtPace, PastVote: fc.PastVote,
			Projection: fc.Projection, Reaches: fc.Reaches}
	}
	return out
}

func (a *API) registerBreakdowns(auth func(string, handlerFunc)) {
	auth("GET /api/v1/breakdowns", a.breakdowns)
	auth("GET /api/v1/funnel", a.funnel)
}

func (a *API) breakdowns(w http.ResponseWriter, r *http.Request) error {
	return a.cached(w, r, func(w http.ResponseWriter) error {
		q, err := reportQuery(r)
		if err != nil {
			return err
		}
		limit, err := queryInt(r, "limit", listsLimit)
		if err != nil {
			return err
		}
		if limit < 1 || limit > listsLimitMax {
			return domain.FieldError("limit", "Tham số limit phải từ 1 đến 1.000.000 (số dòng tối đa của mỗi danh sách)")
		}
		b, err := a.svc.Breakdowns(r.Context(), q)
		if err != nil {
			return err
		}
		out := NewBreakdownsJSON(b)
		out.limitLists(limit)
		httpx.WriteJSON(w, http.StatusOK, out)
		return nil
	}, "org", "year", "asof", "limit")
}

func (a *API) funnel(w http.ResponseWriter, r *http.Request) error {
	return a.cached(w, r, func(w http.ResponseWriter) error {
		q, err := reportQuery(r)
		if err != nil {
			return err
		}
		fq := service.FunnelQuery{ReportQuery: q}
		if fq.StaleDays, err = queryInt(r, "stale_days", 0); err != nil {
			return err
		}
		f, err := a.svc.Funnel(r.Context(), fq)
		if err != nil {
			return err
		}
		httpx.WriteJSON(w, http.StatusOK, NewFunnelJSON(f))
		return nil
	}, "org", "year", "asof", "stale_days")
}
