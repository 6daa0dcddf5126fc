package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
)

// The parts of a case: introducers, documents, votes, verification
// requests, consents, exceptions and transfers. Each is written inside
// the service's transaction that also bumps the case's version.

// CaseParts is everything recorded on a case except its files' contents.
type CaseParts struct {
	Introducers   []*domain.CaseIntroducer
	Documents     []*domain.CaseDocument
	Votes         []*domain.CaseVote
	Verifications []*domain.CaseVerification
	Consents      []*domain.CaseConsent
	Exceptions    []*domain.CaseException
	Transfers     []*domain.CaseTransfer
	Files         []*domain.CaseFile // without Data
}

// collect runs query and scans each row with scan.
func collect[T any](ctx context.Context, s *Store, scan func(row interface{ Scan(...any) error }) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

func scanIntroducer(row interface{ Scan(...any) error }) (*domain.CaseIntroducer, error) {
	var x domain.CaseIntroducer
	var letter dateCol
	err := row.Scan(&x.ID, &x.CaseID, &x.PersonID, &x.MonthsTogether, &letter, &x.Waived, &x.WaiverReason)
	x.LetterDate = letter.ptr()
	return &x, err
}

func scanDocument(row interface{ Scan(...any) error }) (*domain.CaseDocument, error) {
	var x domain.CaseDocument
	var d dateCol
	err := row.Scan(&x.ID, &x.CaseID, &x.Kind, &x.Number, &d, &x.Note)
	x.Date = d.T
	return &x, err
}

func scanVote(row interface{ Scan(...any) error }) (*domain.CaseVote, error) {
	var x domain.CaseVote
	var d dateCol
	err := row.Scan(&x.ID, &x.CaseID, &x.Purpose, &x.Level, &d, &x.Number, &x.Members, &x.Excluded, &x.Present,
		&x.Yes, &x.No, &x.Passed, &x.Authorised, &x.RulesID)
	x.Date = d.T
	return &x, err
}

func scanVerification(row interface{ Scan(...any) error }) (*domain.CaseVerification, error) {
	var x domain.CaseVerification
	var sent, received, due, replied dateCol
	err := row.Scan(&x.ID, &x.CaseID, &x.Subject, &x.Addressee, &sent, &received, &x.Abroad, &due, &replied, &x.Result)
	x.SentOn, x.ReceivedOn, x.Due, x.RepliedOn = sent.T, received.ptr(), due.T, replied.ptr()
	return &x, err
}

func scanConsent(row interface{ Scan(...any) error }) (*domain.CaseConsent, error) {
	var x domain.CaseConsent
	var d dateCol
	err := row.Scan(&x.ID, &x.CaseID, &x.Kind, &x.Number, &d)
	x.Date = d.T
	return &x, err
}

func scanException(row interface{ Scan(...any) error }) (*domain.CaseException, error) {
	var x domain.CaseException
	var uid nullID
	var at timeCol
	err := row.Scan(&x.ID, &x.CaseID, &x.Rule, &x.Reason, &x.Message, &uid, &x.Username, &at)
	x.UserID, x.At = int64(uid), at.T
	return &x, err
}

func scanTransfer(row interface{ Scan(...any) error }) (*domain.CaseTransfer, error) {
	var x domain.CaseTransfer
	var d, received dateCol
	err := row.Scan(&x.ID, &x.CaseID, &x.FromOrgID, &x.ToOrgID, &d, &x.Stage, &x.Reason, &received)
	x.Date, x.ReceivedOn = d.T, received.ptr()
	return &x, err
}

func scanFileMeta(row interface{ Scan(...any) error }) (*domain.CaseFile, error) {
	var x domain.CaseFile
	var at timeCol
	err := row.Scan(&x.ID, &x.CaseID, &x.Kind, &x.Name, &x.ContentType, &x.Size, &x.SHA256, &at, &x.UploadedBy)
	x.UploadedAt = at.T
	return &x, err
}

const fileMetaCols = `id, case_id, kind, name, content_type, size, sha256, uploaded_at, uploaded_by`

// caseTables are the tables of a case's parts, in CaseParts's order.
var caseTables = []string{"case_introducers", "case_documents", "case_votes", "case_verifications",
	"case_consents", "case_exceptions", "case_transfers", "case_files"}

// caseProbe asks in one statement which of caseTables hold rows of a case.
var caseProbe = func() string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, t := range caseTables {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("EXISTS (SELECT 1 FROM " + t + " WHERE case_id = $1)")
	}
	return b.String()
}()

// CaseParts loads the parts of a case: one statement asks which kinds of
// part it has (most cases have no consent, exception, transfer or file),
// then each kind it has is read (a round trip saved is what counts on
// PostgreSQL, where a case is loaded for every step).
func (s *Store) CaseParts(ctx context.Context, caseID int64) (_ *CaseParts, err error) {
	defer wrap(&err, "store.CaseParts(%d)", caseID)
	var has [8]bool
	if err := s.q.QueryRowContext(ctx, caseProbe, caseID).Scan(&has[0], &has[1], &has[2], &has[3], &has[4], &has[5], &has[6], &has[7]); err != nil {
		return nil, mapErr(err)
	}
	var p CaseParts
	if has[0] {
		if p.Introducers, err = collect(ctx, s, scanIntroducer, `SELECT id, case_id, person_id, months_together, letter_date,
		waived, waiver_reason FROM case_introducers WHERE case_id = $1 ORDER BY id`, caseID); err != nil {
			return nil, err
		}
	}
	if has[1] {
		if p.Documents, err = collect(ctx, s, scanDocument, `SELECT id, case_id, kind, number, date, note FROM case_documents
		WHERE case_id = $1 ORDER BY date, id`, caseID); err != nil {
			return nil, err
		}
	}
	if has[2] {
		if p.Votes, err = collect(ctx, s, scanVote, `SELECT id, case_id, purpose, level, date, number, members, excluded, present,
		yes_count, no_count, passed, authorised, rules_id FROM case_votes WHERE case_id = $1 ORDER BY date, id`, caseID); err != nil {
			return nil, err
		}
	}
	if has[3] {
		if p.Verifications, err = collect(ctx, s, scanVerification, `SELECT id, case_id, subject, addressee, sent_on, received_on, abroad, due,
		replied_on, result FROM case_verifications WHERE case_id = $1 ORDER BY sent_on, id`, caseID); err != nil {
			return nil, err
		}
	}
	if has[4] {
		if p.Consents, err = collect(ctx, s, scanConsent, `SELECT id, case_id, kind, number, date FROM case_consents
		WHERE case_id = $1 ORDER BY date, id`, caseID); err != nil {
			return nil, err
		}
	}
	if has[5] {
		if p.Exceptions, err = collect(ctx, s, scanException, `SELECT id, case_id, rule, reason, message, user_id, username, at
		FROM case_exceptions WHERE case_id = $1 ORDER BY id`, caseID); err != nil {
			return nil, err
		}
	}
	if has[6] {
		if p.Transfers, err = collect(ctx, s, scanTransfer, `SELECT id, case_id, from_org_id, to_org_id, date, stage, reason, received_on
		FROM case_transfers WHERE case_id = $1 ORDER BY date, id`, caseID); err != nil {
			return nil, err
		}
	}
	if has[7] {
		if p.Files, err = collect(ctx, s, scanFileMeta, `SELECT `+fileMetaCols+` FROM case_files WHERE case_id = $1 ORDER BY id`, caseID); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

// AddIntroducer records an introducer; the same member twice is a conflict.
func (s *Store) AddIntroducer(ctx context.Context, x *domain.CaseIntroducer) (err error) {
	defer wrap(&err, "store.AddIntroducer")
	err = s.q.QueryRowContext(ctx, `INSERT INTO case_introducers (case_id, person_id, months_together, letter_date, waived,
		waiver_reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, x.CaseID, x.PersonID, x.MonthsTogether,
		dateArgPtr(x.LetterDate), x.Waived, x.WaiverReason).Scan(&x.ID)
	if err = mapErr(err); isDuplicate(err) {
		return domain.FieldError("person_id", "Đảng viên này đã là người giới thiệu của hồ sơ")
	}
	return err
}

// RemoveIntroducer deletes an introducer of the case.
func (s *Store) RemoveIntroducer(ctx context.Context, caseID, id int64) (err error) {
	defer wrap(&err, "store.RemoveIntroducer(%d, %d)", caseID, id)
	res, err := s.q.ExecContext(ctx, `DELETE FROM case_introducers WHERE case_id = $1 AND id = $2`, caseID, id)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy người giới thiệu số %d của hồ sơ", id)
	}
	return nil
}

// WaiveIntroducers waives the 12-month condition of every introducer of
// the case (the candidate moved, HD06 §3.9a).
func (s *Store) WaiveIntroducers(ctx context.Context, caseID int64, reason string) (err error) {
	defer wrap(&err, "store.WaiveIntroducers(%d)", caseID)
	_, err = s.q.ExecContext(ctx, `UPDATE case_introducers SET waived = TRUE, waiver_reason = $1 WHERE case_id = $2 AND NOT waived`,
		reason, caseID)
	return mapErr(err)
}

// PutDocument records a document, replacing an earlier one of the kind.
func (s *Store) PutDocument(ctx context.Context, x *domain.CaseDocument) (err error) {
	defer wrap(&err, "store.PutDocument")
	err = s.q.QueryRowContext(ctx, `INSERT INTO case_documents (case_id, kind, number, date, note) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (case_id, kind) DO UPDATE SET number = excluded.number, date = excluded.date, note = excluded.note
		RETURNING id`, x.CaseID, x.Kind, x.Number, dateArg(x.Date), x.Note).Scan(&x.ID)
	return mapErr(err)
}

// AddVote records a vote, and the case's time in the pipeline that
// follows (refreshPipeline) in the same transaction.
func (s *Store) AddVote(ctx context.Context, v *domain.CaseVote) (err error) {
	defer wrap(&err, "store.AddVote")
	return s.Tx(ctx, func(tx *Store) error {
		err := tx.q.QueryRowContext(ctx, `INSERT INTO case_votes (case_id, purpose, level, date, number, members, excluded, present,
		yes_count, no_count, passed, authorised, rules_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			v.CaseID, v.Purpose, v.Level, dateArg(v.Date), v.Number, v.Members, v.Excluded, v.Present, v.Yes, v.No, v.Passed,
			v.Authorised, v.RulesID).Scan(&v.ID)
		if err != nil {
			return mapErr(err)
		}
		return tx.refreshPipeline(ctx, []int64{v.CaseID})
	})
}

// AddVerification records a verification request.
func (s *Store) AddVerification(ctx context.Context, x *domain.CaseVerification) (err error) {
	defer wrap(&err, "store.AddVerification")
	err = s.q.QueryRowContext(ctx, `INSERT INTO case_verifications (case_id, subject, addressee, sent_on, received_on, abroad, due)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, x.CaseID, x.Subject, x.Addressee, dateArg(x.SentOn), dateArgPtr(x.ReceivedOn),
		x.Abroad, dateArg(x.Due)).Scan(&x.ID)
	if err != nil {
		return mapErr(err)
	}
	return s.refreshFunnel(ctx, []int64{x.CaseID})
}

// ReplyVerification records the reply to a verification request of the case.
func (s *Store) ReplyVerification(ctx context.Context, caseID, id int64, on time.Time, result string) (err error) {
	defer wrap(&err, "store.ReplyVerification(%d, %d)", caseID, id)
	res, err := s.q.ExecContext(ctx, `UPDATE case_verifications SET replied_on = $1, result = $2 WHERE case_id = $3 AND id = $4`,
		dateArg(on), result, caseID, id)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy yêu cầu thẩm tra số %d của hồ sơ", id)
	}
	return s.refreshFunnel(ctx, []int64{caseID})
}

// PutConsent records a consent, replacing an earlier one of the kind.
func (s *Store) PutConsent(ctx context.Context, x *domain.CaseConsent) (err error) {
	defer wrap(&err, "store.PutConsent")
	err = s.q.QueryRowContext(ctx, `INSERT INTO case_consents (case_id, kind, number, date) VALUES ($1, $2, $3, $4)
		ON CONFLICT (case_id, kind) DO UPDATE SET number = excluded.number, date = excluded.date RETURNING id`,
		x.CaseID, x.Kind, x.Number, dateArg(x.Date)).Scan(&x.ID)
	return mapErr(err)
}

// AddException records an exception; a second one for the same rule is a conflict.
func (s *Store) AddException(ctx context.Context, x *domain.CaseException) (err error) {
	defer wrap(&err, "store.AddException")
	err = s.q.QueryRowContext(ctx, `INSERT INTO case_exceptions (case_id, rule, reason, message, user_id, username, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, x.CaseID, x.Rule, x.Reason, x.Message, nullInt(x.UserID),
		x.Username, x.At.UTC()).Scan(&x.ID)
	if err = mapErr(err); isDuplicate(err) {
		return domain.FieldError("rule", "Hồ sơ đã có ngoại lệ cho quy định này")
	}
	return err
}

// AddTransfer records a move to another chapter, and the case's time in
// the pipeline that follows (refreshPipeline) in the same transaction.
func (s *Store) AddTransfer(ctx context.Context, x *domain.CaseTransfer) (err error) {
	defer wrap(&err, "store.AddTransfer")
	return s.Tx(ctx, func(tx *Store) error {
		err := tx.q.QueryRowContext(ctx, `INSERT INTO case_transfers (case_id, from_org_id, to_org_id, date, stage, reason, received_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, x.CaseID, x.FromOrgID, x.ToOrgID, dateArg(x.Date), x.Stage,
			x.Reason, dateArgPtr(x.ReceivedOn)).Scan(&x.ID)
		if err != nil {
			return mapErr(err)
		}
		return tx.refreshPipeline(ctx, []int64{x.CaseID})
	})
}

// SetCaseDeadlines makes list the pending deadlines of the case c from
// day on (the day of the step that set them): a pending deadline that
// stays (the same one, with the same stage, next action and version of
// the case) is kept; one that is no longer pending ends on that day
// (valid_to), so that "Việc cần làm" of an earlier day still reads it
// (one set on that very day, or later, is simply removed); a new one
// starts on that day with the case's stage, next action and version.
func (s *Store) SetCaseDeadlines(ctx context.Context, c *domain.Case, list []domain.CaseDeadline, on time.Time) (err error) {
	defer wrap(&err, "store.SetCaseDeadlines(%d)", c.ID)
	type row struct {
		id   int64
		key  string
		from dateCol
	}
	key := func(kind string, due time.Time, ext *time.Time, owner, label, stage, next string, version int64) string {
		e := ""
		if ext != nil {
			e = ext.Format(domain.DateLayout)
		}
		return strings.Join([]string{kind, due.Format(domain.DateLayout), e, owner, label, stage, next, strconv.FormatInt(version, 10)}, "\x00")
	}
	rows, err := s.q.QueryContext(ctx, `SELECT id, kind, due, extended, owner, label, COALESCE(stage, ''), COALESCE(next_action, ''),
		COALESCE(case_version, 0), valid_from FROM case_deadlines WHERE case_id = $1 AND valid_to IS NULL ORDER BY id`, c.ID)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	var old []row
	for rows.Next() {
		var r row
		var kind, owner, label, stage, next string
		var due, ext dateCol
		var version int64
		if err := rows.Scan(&r.id, &kind, &due, &ext, &owner, &label, &stage, &next, &version, &r.from); err != nil {
			return err
		}
		r.key = key(kind, due.T, ext.ptr(), owner, label, stage, next, version)
		old = append(old, r)
	}
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	rows.Close()
	kept := make([]bool, len(old))
	for _, d := range list {
		k := key(d.Kind, d.Due, d.Extended, d.Owner, d.Label, c.Stage, c.NextAction, c.Version)
		found := false
		for i, r := range old {
			if !kept[i] && r.key == k {
				kept[i], found = true, true
				break
			}
		}
		if found {
			continue
		}
		if _, err := s.q.ExecContext(ctx, `INSERT INTO case_deadlines (case_id, kind, due, extended, owner, label, valid_from, stage, next_action, case_version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, c.ID, d.Kind, dateArg(d.Due), dateArgPtr(d.Extended), d.Owner, d.Label,
			dateArg(on), c.Stage, c.NextAction, c.Version); err != nil {
			return mapErr(err)
		}
	}
	for i, r := range old {
		switch {
		case kept[i]:
		case r.from.T.IsZero() || r.from.T.Before(on):
			if _, err := s.q.ExecContext(ctx, `UPDATE case_deadlines SET valid_to = $1 WHERE id = $2`, dateArg(on), r.id); err != nil {
				return mapErr(err)
			}
		default:
			if _, err := s.q.ExecContext(ctx, `DELETE FROM case_deadlines WHERE id = $1`, r.id); err != nil {
				return mapErr(err)
			}
		}
	}
	return s.refreshFunnel(ctx, []int64{c.ID})
}

func isDuplicate(err error) bool {
	_, ok := err.(*ErrDuplicate)
	return ok
}
