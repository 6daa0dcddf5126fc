package store

// InTx reports whether the store is bound to a transaction (the tx of
// Tx), so that a caller can check where it reads.
func (s *Store) InTx() bool { return s.inTx }
