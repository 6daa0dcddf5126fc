package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
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
