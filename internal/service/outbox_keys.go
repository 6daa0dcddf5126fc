package service

import (
	"context"
	"regexp"
)

// outboxKeyRE is the shape of a key the page script gives a form it kept
// offline (a UUID, or 32 hex digits where the browser has no UUIDs).
var outboxKeyRE = regexp.MustCompile(`^[0-9A-Za-z-]{16,64}$`)

// ValidOutboxKey tells whether key has the shape of an outbox key; the
// pages ignore any other.
func ValidOutboxKey(key string) bool { return outboxKeyRE.MatchString(key) }

// OutboxSent returns the page the user's form with key was sent on to when
// it was saved, "" when it never was (issue 16: a form sent again after its
// answer was lost is not saved twice).
func (s *Service) OutboxSent(ctx context.Context, key string) (string, error) {
	me, err := actor(ctx)
	if err != nil || !ValidOutboxKey(key) || me.ID == 0 {
		return "", err
	}
	return s.store.OutboxKey(ctx, me.ID, key)
}

// KeepOutboxSent remembers that the user's form with key was saved and
// sent on to location.
func (s *Service) KeepOutboxSent(ctx context.Context, key, location string) error {
	me, err := actor(ctx)
	if err != nil || !ValidOutboxKey(key) || me.ID == 0 || location == "" {
		return err
	}
	return s.store.KeepOutboxKey(ctx, me.ID, key, location, s.Now())
}
