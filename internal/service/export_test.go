package service

import "ketnap/internal/store"

// StoreOf is the store under a service, for the tests of package
// service_test that set up or inspect rows directly.
func StoreOf(s *Service) *store.Store { return s.store }
