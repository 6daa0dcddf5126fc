package service

import (
	"context"

	"ketnap/internal/domain"
)

// refreshDeadlines recomputes, after the holiday schedule of year changed
// (inside that transaction, s bound to it), what was computed in working
// days and stored: the reply dates of the verification requests still
// awaited and the deadlines of the open cases, for those due from 1
// January of the year to 200 days after its end (the longest deadline,
// 90 working days plus an extension, spans less than that). Deadlines
// before the year cannot move. It returns how many cases were refreshed.
func (s *Service) refreshDeadlines(ctx context.Context, year int) (int, error) {
	lo, hi := domain.Day(year, 1, 1), domain.Day(year, 12, 31).AddDate(0, 0, 200)
	cal, err := s.Calendar(ctx) // the new schedule: the version changed in this transaction
	if err != nil {
		return 0, err
	}
	vs, err := s.store.PendingVerificationsDueBetween(ctx, lo, hi)
	if err != nil {
		return 0, err
	}
	for _, v := range vs {
		x := domain.CaseVerification{SentOn: v.SentOn, ReceivedOn: v.ReceivedOn, Abroad: v.Abroad}
		anchor, _ := x.ReplyAnchor()
		due, err := cal.AddWorkdays(anchor, x.ReplyDays())
		if err != nil {
			return 0, calendarErr("sent_on", err)
		}
		if !due.Equal(v.Due) {
			if err := s.store.SetVerificationDue(ctx, v.ID, due); err != nil {
				return 0, err
			}
		}
	}
	people, err := s.store.PeopleWithDeadlinesBetween(ctx, lo, hi)
	if err != nil {
		return 0, err
	}
	if err := s.RefreshCases(ctx, people...); err != nil {
		return 0, err
	}
	return len(people), nil
}
