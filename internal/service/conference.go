package service

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// What the conference report needs besides the figures (issue 14): the
// committee above for its header, and the text the office edited before
// downloading it, kept per report (unit, year, as-of date).

// ParentOn returns the unit's parent in the tree of day d (the committee
// above, for a document's header), nil when the unit had none. The
// structure of the party is not personal data: the parent is returned
// whether or not the user's subtree holds it (as OrgRefs).
func (s *Service) ParentOn(ctx context.Context, o *domain.Org, d time.Time) (*domain.Org, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	parent, _, err := s.store.PlaceOn(ctx, o.ID, d)
	if err != nil {
		if domain.ErrorCode(err) != domain.ENotFound {
			return nil, err
		}
		parent = o.ParentID // not in the tree of d (a unit shown on its last day): its current parent
	}
	if parent == 0 {
		return nil, nil
	}
	return s.store.GetOrg(ctx, parent)
}

// CanEditReport reports whether the user may edit the text of a report of
// a unit they see: the organisers and secretaries who prepare it, and the
// admins.
func CanEditReport(u *domain.User) bool {
	return u != nil && (u.CanWrite("org") || u.Role == domain.RoleSecretary)
}

// reportTextKey resolves the report's unit, year and as-of date (ReportQuery's
// defaults) as the report itself does.
func (s *Service) reportTextKey(ctx context.Context, q ReportQuery) (*reportScope, error) {
	return s.resolveReport(ctx, q)
}

// ConferenceText returns the text edited for the conference report of the
// query (ReportQuery's defaults), nil when nothing was saved.
func (s *Service) ConferenceText(ctx context.Context, q ReportQuery) (*domain.ReportText, error) {
	r, err := s.reportTextKey(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.store.ReportText(ctx, domain.ReportConference, r.Org.ID, r.Year, r.AsOf)
}

// SaveConferenceText keeps the edited text of the conference report of
// the query: the fields of t that are set (nil follows the draft), each
// normalised (NFC, spaces trimmed; one paragraph a line) and checked for
// its length. A text with no field set is a reset. Audited.
func (s *Service) SaveConferenceText(ctx context.Context, q ReportQuery, t domain.ReportText) (*domain.ReportText, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.reportTextKey(ctx, q)
	if err != nil {
		return nil, err
	}
	if !CanEditReport(me) {
		return nil, domain.Errorf(domain.EForbidden, "Vai trò %s không được phép sửa báo cáo", domain.RoleName(me.Role))
	}
	t.Report, t.OrgID, t.Year, t.AsOf = domain.ReportConference, r.Org.ID, r.Year, r.AsOf
	changed := []string{}
	for _, f := range t.Fields() {
		if *f.Value == nil {
			continue
		}
		v, err := cleanReportField(f, **f.Value)
		if err != nil {
			return nil, err
		}
		*f.Value = &v
		changed = append(changed, f.Key)
	}
	if len(changed) == 0 {
		return nil, s.ResetConferenceText(ctx, q)
	}
	t.UpdatedBy, t.UpdatedByName, t.UpdatedAt = me.ID, displayName(me), s.Now().UTC()
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.PutReportText(ctx, &t); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "report_text", "org", r.Org.ID, map[string]any{"report": t.Report, "year": t.Year,
			"asof": t.AsOf.Format(domain.DateLayout), "fields": changed})
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// ResetConferenceText forgets the edited text of the conference report of
// the query: the report goes back to its draft. Audited when there was one.
func (s *Service) ResetConferenceText(ctx context.Context, q ReportQuery) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	r, err := s.reportTextKey(ctx, q)
	if err != nil {
		return err
	}
	if !CanEditReport(me) {
		return domain.Errorf(domain.EForbidden, "Vai trò %s không được phép sửa báo cáo", domain.RoleName(me.Role))
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		gone, err := tx.DeleteReportText(ctx, domain.ReportConference, r.Org.ID, r.Year, r.AsOf)
		if err != nil || !gone {
			return err
		}
		return s.audit(ctx, tx, me, "report_text_reset", "org", r.Org.ID, map[string]any{"report": domain.ReportConference,
			"year": r.Year, "asof": r.AsOf.Format(domain.DateLayout)})
	})
}

// displayName is how a record names the user who wrote it.
func displayName(u *domain.User) string {
	if u.FullName != "" {
		return u.FullName
	}
	return u.Username
}

// cleanReportField normalises one field of a report's text: a line is
// NFC, trimmed, its spaces collapsed; a text of several lines keeps one
// empty line at most between paragraphs and none at its ends. Control
// characters are refused, and a text longer than the field's limit.
func cleanReportField(f domain.ReportTextField, s string) (string, error) {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "", domain.FieldError(f.Key, "%s: có ký tự điều khiển không hợp lệ", f.Label)
		}
	}
	if f.Lines {
		s = vn.CleanLines(s)
	} else {
		if strings.ContainsAny(s, "\r\n") {
			return "", domain.FieldError(f.Key, "%s: chỉ được viết trên một dòng", f.Label)
		}
		s = vn.Clean(s)
	}
	if n := utf8.RuneCountInString(s); n > f.Max {
		return "", domain.FieldError(f.Key, "%s dài %s ký tự, tối đa %s ký tự", f.Label, vn.Int(n), vn.Int(f.Max))
	}
	return s, nil
}
