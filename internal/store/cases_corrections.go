package store

import (
	"context"
	"encoding/json"

	"ketnap/internal/domain"
)

// Corrections in place of a case's recorded facts (issue 11, item 6) and
// the receipts the clocks start from (item 4): each written inside the
// service's transaction that also bumps the case's version.

// UpdateVerification saves a verification request's dates (sent, received,
// replied) and its reply's due date.
func (s *Store) UpdateVerification(ctx context.Context, x *domain.CaseVerification) (err error) {
	defer wrap(&err, "store.UpdateVerification(%d, %d)", x.CaseID, x.ID)
	res, err := s.q.ExecContext(ctx, `UPDATE case_verifications SET sent_on = $1, received_on = $2, due = $3, replied_on = $4
		WHERE case_id = $5 AND id = $6`, dateArg(x.SentOn), dateArgPtr(x.ReceivedOn), dateArg(x.Due), dateArgPtr(x.RepliedOn), x.CaseID, x.ID)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy yêu cầu thẩm tra số %d của hồ sơ", x.ID)
	}
	return s.refreshFunnel(ctx, []int64{x.CaseID})
}

// UpdateTransfer saves a transfer's date and the receipt of the dossier,
// and the case's time in the pipeline that follows.
func (s *Store) UpdateTransfer(ctx context.Context, x *domain.CaseTransfer) (err error) {
	defer wrap(&err, "store.UpdateTransfer(%d, %d)", x.CaseID, x.ID)
	return s.Tx(ctx, func(tx *Store) error { return tx.updateTransfer(ctx, x) })
}

func (s *Store) updateTransfer(ctx context.Context, x *domain.CaseTransfer) error {
	res, err := s.q.ExecContext(ctx, `UPDATE case_transfers SET date = $1, received_on = $2 WHERE case_id = $3 AND id = $4`,
		dateArg(x.Date), dateArgPtr(x.ReceivedOn), x.CaseID, x.ID)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy lần chuyển sinh hoạt số %d của hồ sơ", x.ID)
	}
	return s.refreshPipeline(ctx, []int64{x.CaseID})
}

// UpdateVote saves a vote's date, number, figures and what they make of it
// (passed, the rule set and whether an authorised committee decided),
// and the case's time in the pipeline that follows.
func (s *Store) UpdateVote(ctx context.Context, v *domain.CaseVote) (err error) {
	defer wrap(&err, "store.UpdateVote(%d, %d)", v.CaseID, v.ID)
	return s.Tx(ctx, func(tx *Store) error { return tx.updateVote(ctx, v) })
}

func (s *Store) updateVote(ctx context.Context, v *domain.CaseVote) error {
	res, err := s.q.ExecContext(ctx, `UPDATE case_votes SET date = $1, number = $2, members = $3, excluded = $4, present = $5,
		yes_count = $6, no_count = $7, passed = $8, authorised = $9, rules_id = $10 WHERE case_id = $11 AND id = $12`,
		dateArg(v.Date), v.Number, v.Members, v.Excluded, v.Present, v.Yes, v.No, v.Passed, v.Authorised, v.RulesID, v.CaseID, v.ID)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy biểu quyết số %d của hồ sơ", v.ID)
	}
	return s.refreshPipeline(ctx, []int64{v.CaseID})
}

// AddCaseCorrection records a correction.
func (s *Store) AddCaseCorrection(ctx context.Context, x *domain.CaseCorrection) (err error) {
	defer wrap(&err, "store.AddCaseCorrection(%d)", x.CaseID)
	changes, err := json.Marshal(x.Changes)
	if err != nil {
		return err
	}
	err = s.q.QueryRowContext(ctx, `INSERT INTO case_corrections (case_id, target, record_id, what, changes, reason, user_id, username, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, x.CaseID, x.Target, nullInt(x.RecordID), x.What, string(changes),
		x.Reason, nullInt(x.UserID), x.Username, x.At.UTC()).Scan(&x.ID)
	return mapErr(err)
}

// CaseCorrections lists the corrections of a case, oldest first.
func (s *Store) CaseCorrections(ctx context.Context, caseID int64) (_ []*domain.CaseCorrection, err error) {
	defer wrap(&err, "store.CaseCorrections(%d)", caseID)
	return collect(ctx, s, scanCorrection, `SELECT id, case_id, target, record_id, what, changes, reason, user_id, username, at
		FROM case_corrections WHERE case_id = $1 ORDER BY id`, caseID)
}

func scanCorrection(row interface{ Scan(...any) error }) (*domain.CaseCorrection, error) {
	var x domain.CaseCorrection
	var record, uid nullID
	var changes string
	var at timeCol
	if err := row.Scan(&x.ID, &x.CaseID, &x.Target, &record, &x.What, &changes, &x.Reason, &uid, &x.Username, &at); err != nil {
		return nil, err
	}
	x.RecordID, x.UserID, x.At = int64(record), int64(uid), at.T
	if err := json.Unmarshal([]byte(changes), &x.Changes); err != nil {
		return nil, err
	}
	return &x, nil
}
