package store

import (
	"context"
	"time"
)

// What a change of the holiday schedule touches: the working-day
// deadlines stored on open cases (case_deadlines) and the reply dates of
// the verification requests still awaited, that fall in a window.

// PeopleWithDeadlinesBetween lists the people whose open case has a stored
// deadline (or its extension) or an awaited verification reply due from
// lo to hi, in id order.
func (s *Store) PeopleWithDeadlinesBetween(ctx context.Context, lo, hi time.Time) (_ []int64, err error) {
	defer wrap(&err, "store.PeopleWithDeadlinesBetween")
	rows, err := s.q.QueryContext(ctx, `SELECT person_id FROM cases c WHERE c.closed_on IS NULL AND (
		EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.valid_to IS NULL AND
			((d.due >= $1 AND d.due <= $2) OR (d.extended >= $1 AND d.extended <= $2)))
		OR EXISTS (SELECT 1 FROM case_verifications v WHERE v.case_id = c.id AND v.replied_on IS NULL AND v.due >= $1 AND v.due <= $2))
		ORDER BY person_id`, dateArg(lo), dateArg(hi))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, mapErr(rows.Err())
}

// PendingVerification is a verification request still awaiting its reply.
type PendingVerification struct {
	ID         int64
	SentOn     time.Time
	ReceivedOn *time.Time // the addressee's receipt, nil when not recorded
	Abroad     bool
	Due        time.Time
}

// PendingVerificationsDueBetween lists the awaited verification replies of
// open cases due from lo to hi.
func (s *Store) PendingVerificationsDueBetween(ctx context.Context, lo, hi time.Time) (_ []PendingVerification, err error) {
	defer wrap(&err, "store.PendingVerificationsDueBetween")
	rows, err := s.q.QueryContext(ctx, `SELECT v.id, v.sent_on, v.received_on, v.abroad, v.due FROM case_verifications v
		JOIN cases c ON c.id = v.case_id
		WHERE c.closed_on IS NULL AND v.replied_on IS NULL AND v.due >= $1 AND v.due <= $2 ORDER BY v.id`, dateArg(lo), dateArg(hi))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []PendingVerification
	for rows.Next() {
		var p PendingVerification
		var sent, received, due dateCol
		if err := rows.Scan(&p.ID, &sent, &received, &p.Abroad, &due); err != nil {
			return nil, err
		}
		p.SentOn, p.ReceivedOn, p.Due = sent.T, received.ptr(), due.T
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

// SetVerificationDue changes the reply date of a verification request.
func (s *Store) SetVerificationDue(ctx context.Context, id int64, due time.Time) (err error) {
	defer wrap(&err, "store.SetVerificationDue(%d)", id)
	_, err = s.q.ExecContext(ctx, `UPDATE case_verifications SET due = $1 WHERE id = $2`, dateArg(due), id)
	return mapErr(err)
}
