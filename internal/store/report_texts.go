package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"ketnap/internal/domain"
)

// The edited text of reports (report_texts, migration 00016): one row per
// report kind, unit, year and as-of date; a NULL column follows the draft.

const reportTextCols = `parent, issuer, number, place, sign_for, signer_title, signer, recipients, weaknesses, tasks`

// ReportText returns the edited text of a report, nil when nothing was saved.
func (s *Store) ReportText(ctx context.Context, report string, orgID int64, year int, asof time.Time) (_ *domain.ReportText, err error) {
	defer wrap(&err, "store.ReportText(%d)", orgID)
	t := &domain.ReportText{Report: report, OrgID: orgID, Year: year, AsOf: asof}
	cols := make([]sql.NullString, 10)
	dest := make([]any, 0, 13)
	for i := range cols {
		dest = append(dest, &cols[i])
	}
	var by nullID
	var at timeCol
	dest = append(dest, &by, &t.UpdatedByName, &at)
	err = s.q.QueryRowContext(ctx, `SELECT `+reportTextCols+`, updated_by, updated_by_name, updated_at
		FROM report_texts WHERE report = $1 AND org_id = $2 AND year = $3 AND asof = $4`,
		report, orgID, year, dateArg(asof)).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	for i, f := range t.Fields() {
		if cols[i].Valid {
			*f.Value = &cols[i].String
		}
	}
	t.UpdatedBy, t.UpdatedAt = int64(by), at.T
	return t, nil
}

// PutReportText saves the edited text of a report over what was saved.
func (s *Store) PutReportText(ctx context.Context, t *domain.ReportText) (err error) {
	defer wrap(&err, "store.PutReportText(%d)", t.OrgID)
	args := []any{t.Report, t.OrgID, t.Year, dateArg(t.AsOf)}
	for _, f := range t.Fields() {
		var v any
		if *f.Value != nil {
			v = **f.Value
		}
		args = append(args, v)
	}
	args = append(args, nullInt(t.UpdatedBy), t.UpdatedByName, t.UpdatedAt.UTC())
	_, err = s.q.ExecContext(ctx, `INSERT INTO report_texts (report, org_id, year, asof, `+reportTextCols+`, updated_by, updated_by_name, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (report, org_id, year, asof) DO UPDATE SET parent = excluded.parent, issuer = excluded.issuer,
		  number = excluded.number, place = excluded.place, sign_for = excluded.sign_for, signer_title = excluded.signer_title,
		  signer = excluded.signer, recipients = excluded.recipients, weaknesses = excluded.weaknesses, tasks = excluded.tasks,
		  updated_by = excluded.updated_by, updated_by_name = excluded.updated_by_name, updated_at = excluded.updated_at`, args...)
	return mapErr(err)
}

// DeleteReportText forgets the edited text of a report; it reports
// whether there was one.
func (s *Store) DeleteReportText(ctx context.Context, report string, orgID int64, year int, asof time.Time) (_ bool, err error) {
	defer wrap(&err, "store.DeleteReportText(%d)", orgID)
	res, err := s.q.ExecContext(ctx, `DELETE FROM report_texts WHERE report = $1 AND org_id = $2 AND year = $3 AND asof = $4`,
		report, orgID, year, dateArg(asof))
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n > 0, mapErr(err)
}
