package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// No step may be dated after the date the pages open on (issue 11, item
// 6): the demo's date in the demo district, today otherwise (DefaultAsOf).
// A step is judged on that date too, as its page shows it.

// pagesDay remembers, during a bulk replay (Replaying), whether the demo's
// date is recorded: it cannot change inside the replay's transaction, and
// the import replays tens of thousands of steps. Today still follows the
// clock (the demo's loader moves it from step to step).
type pagesDay struct {
	read bool
	demo time.Time
	ok   bool
}

// stepDay is the date pages open on, which a step may not be dated after.
func (s *Service) stepDay(ctx context.Context) time.Time {
	c := s.pagesDay
	if c == nil {
		return s.DefaultAsOf(ctx)
	}
	if !c.read {
		c.demo, c.ok = s.DemoAsOf(ctx)
		c.read = true
	}
	if c.ok {
		return c.demo
	}
	return domain.Today(s.Now)
}

// deadlineDay is the day a case's deadlines set now are dated from (and
// those no longer pending end on): today, or the date pages open on when
// it is earlier (the demo's date in the demo district, whose steps are
// dated by it), so that "Việc cần làm" of that date reads them.
func (s *Service) deadlineDay(ctx context.Context) time.Time {
	today, pages := domain.Today(s.Now), s.stepDay(ctx)
	if pages.Before(today) {
		return pages
	}
	return today
}

// stepDeadlineDay is the day the deadlines of a step on case c count from
// (and the ones it ends end on): deadlineDay, or the day of the case's
// latest dated fact when that is earlier. A step recorded today (or on
// the demo's date) but dated earlier — a 2023 ceremony entered on
// 7/12/2026 — sets deadlines that were pending from its own date, so
// that "Việc cần làm" as of a day in between lists them. A replay (the
// demo, the import) moves the clock to each step's date: deadlineDay is
// that date already.
func (s *Service) stepDeadlineDay(ctx context.Context, c *domain.Case, parts *store.CaseParts) time.Time {
	on := s.deadlineDay(ctx)
	if s.pagesDay != nil {
		return on
	}
	if f := latestFact(c, parts); !f.IsZero() && f.Before(on) {
		return f
	}
	return on
}

// latestFact is the date of the latest dated fact of the case.
func latestFact(c *domain.Case, parts *store.CaseParts) time.Time {
	last := c.OpenedOn
	see := func(d *time.Time) {
		if d != nil && d.After(last) {
			last = *d
		}
	}
	for _, d := range []*time.Time{c.DossierOpened, c.CertificateDate, c.DecisionDate, c.DecisionReceived, c.CeremonyDate,
		c.RecognitionDate, c.ClosedOn, c.PausedOn} {
		see(d)
	}
	if parts == nil {
		return last
	}
	for _, x := range parts.Votes {
		see(&x.Date)
	}
	for _, x := range parts.Documents {
		see(&x.Date)
	}
	for _, x := range parts.Verifications {
		see(&x.SentOn)
		see(x.RepliedOn)
	}
	for _, x := range parts.Introducers {
		see(x.LetterDate)
	}
	for _, x := range parts.Transfers {
		see(&x.Date)
	}
	return last
}
