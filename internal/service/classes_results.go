package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// Attendance per session, the final essay's scores from two graders, the
// one retake, and the certificates, by the rules of QĐ1147.

// reevaluate recomputes the outcome of every learner of the class (after
// attendance or results change) and saves those that changed.
func reevaluate(ctx context.Context, tx *store.Store, c *domain.Class) error {
	sessions, err := tx.Sessions(ctx, c.ID)
	if err != nil {
		return err
	}
	recorded, err := tx.RecordedSessions(ctx, c.ID)
	if err != nil {
		return err
	}
	total, rec := 0, 0
	for _, x := range sessions {
		total += x.Lessons
		if recorded[x.ID] {
			rec += x.Lessons
		}
	}
	learners, err := tx.Learners(ctx, c.ID, "/")
	if err != nil {
		return err
	}
	for _, r := range learners {
		l := r.Learner
		before := *l
		l.Evaluate(total, rec, c.Exam())
		if l.Outcome != before.Outcome || l.Total != before.Total || !sameDate(l.ResultDate, before.ResultDate) {
			if err := tx.SaveLearner(ctx, l); err != nil {
				return err
			}
		}
	}
	return nil
}

func sameDate(a, b *time.Time) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Equal(*b)
}

// openClassForResults loads a class the user may change and that is open.
func (s *Service) openClassForResults(ctx context.Context, classID int64) (*domain.User, *domain.Class, error) {
	me, c, _, err := s.classForWrite(ctx, classID)
	if err != nil {
		return nil, nil, err
	}
	if c.Status != domain.ClassOpen {
		return nil, nil, domain.Errorf(domain.EConflict, "Chỉ ghi điểm danh và kết quả khi lớp đang học (lớp %s: %s)",
			c.Code, domain.ClassStatusName(c.Status))
	}
	return me, c, nil
}

// SaveAttendance records who attended a session: lessons per learner id
// (a learner of the class left out attended none of it).
func (s *Service) SaveAttendance(ctx context.Context, classID, sessionID int64, lessons map[int64]int) error {
	me, c, err := s.openClassForResults(ctx, classID)
	if err != nil {
		return err
	}
	sessions, err := s.store.Sessions(ctx, c.ID)
	if err != nil {
		return err
	}
	var sess *domain.Session
	for i := range sessions {
		if sessions[i].ID == sessionID {
			sess = &sessions[i]
		}
	}
	if sess == nil {
		return domain.Errorf(domain.ENotFound, "Lớp %s không có buổi học số %d", c.Code, sessionID)
	}
	if sess.Date.After(s.DefaultAsOf(ctx)) {
		return domain.FieldError("session", "Buổi học ngày %s chưa diễn ra", vn.Date(sess.Date))
	}
	learners, err := s.store.Learners(ctx, c.ID, "/")
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, l := range learners {
		known[l.ID] = l.Status == domain.EnrolActive
	}
	for id, n := range lessons {
		if !known[id] {
			return domain.Errorf(domain.EInvalid, "Học viên số %d không có trong lớp %s", id, c.Code)
		}
		if n < 0 || n > sess.Lessons {
			return domain.FieldError("lessons", "Số tiết dự học phải từ 0 đến %d", sess.Lessons)
		}
	}
	present := 0
	return s.store.Tx(ctx, func(tx *store.Store) error {
		for _, l := range learners {
			if l.Status != domain.EnrolActive {
				continue
			}
			n := lessons[l.ID]
			if n > 0 {
				present++
			}
			if err := tx.SetAttendance(ctx, l.ID, sess.ID, n); err != nil {
				return err
			}
		}
		if err := reevaluate(ctx, tx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "attendance", "class", c.ID, map[string]any{"session": vn.Date(sess.Date), "present": present})
	})
}

// ResultInput is one learner's final essay.
type ResultInput struct {
	LearnerID int64
	Score1    *int // hundredths
	Score2    *int
	Absent    bool
	Version   int64
}

// SaveResults records the final essay's scores of several learners, all
// or none. A learner who missed more than 20 % of the lessons has no score.
func (s *Service) SaveResults(ctx context.Context, classID int64, in []ResultInput) error {
	me, c, err := s.openClassForResults(ctx, classID)
	if err != nil {
		return err
	}
	if c.Exam().After(s.DefaultAsOf(ctx)) {
		return domain.FieldError("exam_date", "Chưa đến buổi viết thu hoạch (%s)", vn.Date(c.Exam()))
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		if err := reevaluate(ctx, tx, c); err != nil {
			return err
		}
		for _, r := range in {
			l, _, err := tx.GetLearner(ctx, r.LearnerID)
			if err != nil && domain.ErrorCode(err) != domain.ENotFound {
				return err
			}
			// an unknown learner reads as one of another class: whether
			// the id exists elsewhere is nobody's business here
			if err != nil || l.ClassID != c.ID || l.Status != domain.EnrolActive {
				return domain.Errorf(domain.EInvalid, "Học viên số %d không có trong lớp %s", r.LearnerID, c.Code)
			}
			name := learnerName(ctx, tx, l)
			if err := domain.ValidScore("score1", r.Score1); err != nil {
				return prefixed(err, name)
			}
			if err := domain.ValidScore("score2", r.Score2); err != nil {
				return prefixed(err, name)
			}
			if (r.Score1 == nil) != (r.Score2 == nil) {
				return domain.FieldError("score2", "%s: cần điểm của cả hai giảng viên chấm (%s)", name, domain.SrcQD1147)
			}
			if r.Absent && r.Score1 != nil {
				return domain.FieldError("absent", "%s: học viên vắng thi thì không có điểm", name)
			}
			if l.Outcome == domain.OutcomeIneligible && (r.Score1 != nil || r.Absent) {
				return domain.FieldError("score1", "%s nghỉ quá %d %% số tiết nên không được viết thu hoạch (%s)",
					name, 100-domain.AttendancePercent, domain.SrcQD1147)
			}
			if l.RetakeDate != nil {
				return domain.Errorf(domain.EConflict, "%s đã thi lại; kết quả lần đầu không sửa được nữa", name)
			}
			l.Score1, l.Score2, l.Absent, l.Version = r.Score1, r.Score2, r.Absent, r.Version
			if err := tx.SaveLearner(ctx, l); err != nil {
				return err
			}
		}
		if err := reevaluate(ctx, tx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "results", "class", c.ID, map[string]any{"learners": len(in)})
	})
}

// RecordRetake records the one retake of a learner who failed or missed
// the essay, within 3 days of it (QĐ1147).
func (s *Service) RecordRetake(ctx context.Context, learnerID int64, date time.Time, s1, s2 *int, version int64) (*domain.Learner, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	l, _, err := s.store.GetLearner(ctx, learnerID)
	if err != nil {
		return nil, hidden(me, "", err)
	}
	me, c, err := s.openClassForResults(ctx, l.ClassID)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidScore("retake1", s1); err != nil {
		return nil, err
	}
	if err := domain.ValidScore("retake2", s2); err != nil {
		return nil, err
	}
	if s1 == nil || s2 == nil {
		return nil, domain.FieldError("retake2", "Cần điểm thi lại của cả hai giảng viên chấm (%s)", domain.SrcQD1147)
	}
	if date.After(s.DefaultAsOf(ctx)) {
		return nil, domain.FieldError("retake_date", "Ngày thi lại không được sau hôm nay")
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := reevaluate(ctx, tx, c); err != nil {
			return err
		}
		if l, _, err = tx.GetLearner(ctx, learnerID); err != nil {
			return err
		}
		if err := l.CheckRetake(c.Exam(), date); err != nil {
			return prefixed(err, learnerName(ctx, tx, l))
		}
		l.RetakeDate, l.Retake1, l.Retake2, l.Version = &date, s1, s2, version
		if err := tx.SaveLearner(ctx, l); err != nil {
			return err
		}
		if err := reevaluate(ctx, tx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "retake", "class", c.ID, map[string]any{"learner": l.ID, "date": date})
	})
	if err != nil {
		return nil, err
	}
	l, _, err = s.store.GetLearner(ctx, learnerID)
	return l, err
}

func learnerName(ctx context.Context, tx *store.Store, l *domain.Learner) string {
	if p, _, err := tx.GetPerson(ctx, l.PersonID); err == nil {
		return p.FullName
	}
	return fmt.Sprintf("Học viên số %d", l.ID)
}

// prefixed puts the learner's name before an application error's message.
func prefixed(err error, name string) error {
	if e, ok := err.(*domain.Error); ok {
		return &domain.Error{Code: e.Code, Field: e.Field, Message: name + ": " + e.Message}
	}
	return err
}

// IssueCertificates issues, on the date, a certificate to every learner
// of a finished class who passed and has none yet, numbered
// PREFIX-YEAR-NNNN (NT awareness, DVM new member). The date must follow
// the completion decision within 15 days, or come with a reason (QĐ1147).
func (s *Service) IssueCertificates(ctx context.Context, classID int64, issued time.Time, lateReason string) ([]*domain.Certificate, error) {
	me, c, _, err := s.classForWrite(ctx, classID)
	if err != nil {
		return nil, err
	}
	if c.Status != domain.ClassFinished || c.CompletionDate == nil {
		return nil, domain.Errorf(domain.EConflict, "Chỉ cấp giấy chứng nhận sau khi lớp kết thúc và có quyết định công nhận kết quả")
	}
	if issued.IsZero() {
		issued = s.DefaultAsOf(ctx)
	}
	if issued.After(s.DefaultAsOf(ctx)) {
		return nil, domain.FieldError("issued", "Ngày cấp không được sau hôm nay")
	}
	lateReason = vn.Clean(lateReason)
	if err := domain.CheckCertificateDate(*c.CompletionDate, issued, lateReason); err != nil {
		return nil, err
	}
	if !issued.After(c.CompletionDate.AddDate(0, 0, domain.CertificateDays)) {
		lateReason = ""
	}
	prog, _ := domain.ProgrammeOf(c.Programme)
	var out []*domain.Certificate
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		learners, err := tx.Learners(ctx, c.ID, "/")
		if err != nil {
			return err
		}
		have, err := tx.CertificatesOfClass(ctx, c.ID)
		if err != nil {
			return err
		}
		done := map[int64]bool{}
		for _, k := range have {
			done[k.EnrolmentID] = true
		}
		prefix := fmt.Sprintf("%s-%d-", prog.Prefix, issued.Year())
		serial, err := tx.MaxCertificateSerial(ctx, prefix)
		if err != nil {
			return err
		}
		for _, l := range learners {
			if l.Outcome != domain.OutcomePass || l.Status != domain.EnrolActive || done[l.ID] {
				continue
			}
			serial++
			k := &domain.Certificate{EnrolmentID: l.ID, PersonID: l.PersonID, ClassID: c.ID, Programme: c.Programme,
				Number: fmt.Sprintf("%s%04d", prefix, serial), Issued: issued,
				ValidUntil: domain.CertificateValidUntil(c.Programme, issued), LateReason: lateReason}
			if err := tx.CreateCertificate(ctx, k); err != nil {
				return err
			}
			out = append(out, k)
		}
		if len(out) == 0 {
			return domain.Errorf(domain.EConflict, "Không còn học viên đạt nào chưa được cấp giấy chứng nhận")
		}
		// The holders' open admission cases pick the certificate up now,
		// so their next steps and deadlines are current in every list.
		holders := make([]int64, len(out))
		for i, k := range out {
			holders[i] = k.PersonID
		}
		if err := s.in(tx).RefreshCases(ctx, holders...); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "certificates", "class", c.ID, map[string]any{"count": len(out), "issued": issued,
			"late_reason": lateReason})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CertificateView is a certificate with what its printed form shows.
type CertificateView struct {
	*domain.Certificate
	Person *domain.Person
	Class  *domain.Class
	Org    *domain.Org // the person's unit
	Owner  *domain.Org // the organization that owns the class
	Grade  string
	Mean   string
}

// Certificate returns a certificate the user may see (its holder in the
// user's subtree).
func (s *Service) Certificate(ctx context.Context, id int64) (*CertificateView, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	k, err := s.store.GetCertificate(ctx, id)
	if err != nil {
		return nil, hidden(me, "", err)
	}
	p, _, err := s.personIn(ctx, me, k.PersonID, "")
	if err != nil {
		return nil, err
	}
	c, _, err := s.store.GetClass(ctx, k.ClassID)
	if err != nil {
		return nil, err
	}
	v := &CertificateView{Certificate: k, Person: p, Class: c}
	if v.Org, err = s.store.GetOrg(ctx, p.OrgID); err != nil {
		return nil, err
	}
	if v.Owner, err = s.store.GetOrg(ctx, c.OrgID); err != nil {
		return nil, err
	}
	if l, _, err := s.store.GetLearner(ctx, k.EnrolmentID); err == nil {
		_, v.Grade = domain.GradeOf(l.Total)
		v.Mean = domain.FormatMean(l.Total)
	}
	return v, nil
}

// PersonCertificates lists the certificates of a person the user may see.
func (s *Service) PersonCertificates(ctx context.Context, personID int64) ([]*domain.Certificate, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.personIn(ctx, me, personID, ""); err != nil {
		return nil, err
	}
	return s.store.CertificatesOfPerson(ctx, personID)
}

// AwarenessCertificateValidOn returns the person's awareness certificate
// valid on the date (the procedure calls it with the chapter vote's date:
// valid 60 months, HD06 §5.4b), or nil when there is none.
func (s *Service) AwarenessCertificateValidOn(ctx context.Context, personID int64, d time.Time) (*domain.Certificate, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.personIn(ctx, me, personID, ""); err != nil {
		return nil, err
	}
	return s.store.ValidCertificateOn(ctx, personID, domain.ProgAwareness, d)
}

// LearnerLabel is how a learner's outcome reads: "Đạt — Khá (7,5)".
func LearnerLabel(l *domain.Learner) string {
	label := domain.OutcomeNames[l.Outcome]
	if l.Outcome == domain.OutcomePass {
		_, g := domain.GradeOf(l.Total)
		label += " — " + g + " (" + domain.FormatMean(l.Total) + ")"
	} else if l.Outcome == domain.OutcomeFail {
		label += " (" + domain.FormatMean(l.Total) + ")"
	}
	return strings.TrimSpace(label)
}
