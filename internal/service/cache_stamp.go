package service

import (
	"context"
	"strconv"

	"ketnap/internal/domain"
)

// CacheStamp returns what a cached answer of the reports is valid for: the
// data version (one read of one row; every committed write advances it in
// its own transaction, on whichever server it is made) and today's date,
// from which the reports take their default date. Read it before
// computing the answer: the data the answer reads is then at least as new
// as the stamp.
func (s *Service) CacheStamp(ctx context.Context) (string, error) {
	if _, err := actor(ctx); err != nil {
		return "", err
	}
	v, err := s.store.DataVersion(ctx)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(v, 10) + "@" + domain.Today(s.Now).Format(domain.DateLayout), nil
}
