package service

import (
	"context"

	"ketnap/internal/store"
)

// StoreOf is the store under a service, for the tests of package
// service_test that set up or inspect rows directly.
func StoreOf(s *Service) *store.Store { return s.store }

// CountPlans returns ctx counting the case plans the service computes for
// the calls made with it, and a function reading how many it computed and
// how many of those outside a transaction.
func CountPlans(ctx context.Context) (context.Context, func() (total, outside int64)) {
	n := &planCount{}
	return context.WithValue(ctx, planCountKey{}, n), func() (int64, int64) { return n.total.Load(), n.outside.Load() }
}

// FromScratch returns ctx under which the progress reports are computed
// from the whole subtree rather than from the counts maintained per unit.
func FromScratch(ctx context.Context) context.Context {
	return context.WithValue(ctx, scratchKey{}, true)
}
