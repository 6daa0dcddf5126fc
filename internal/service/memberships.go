package service

import (
	"context"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// A decision enters the count of progress only through the decision step
// of a case (Decide), recorded by a user whose scope holds the deciding
// body, or, for a member admitted before ketnap, recorded from paper by
// that body's organizer or an admin (RecordMembership), and marked so
// (domain.Membership.Origin). Nobody edits a person's stage: it follows
// from the cases and the memberships (DOMAIN §4).

// MembershipInput is an admission decision recorded from paper: a member
// admitted before ketnap (number, date, deciding body, unit), and what
// followed it (ceremony, recognition, or the membership's end).
type MembershipInput struct {
	DecisionNo      string
	DecisionDate    time.Time
	DecidedByCode   string // "" for the deciding body recorded for the unit on the decision date
	AdmittedOrgCode string // "" for the person's unit
	CeremonyDate    *time.Time
	RecognitionDate *time.Time
	Status          string // "" for probationary, or official when a recognition date is given
}

// mayRecordFromPaper is the role check of RecordMembership: organizers
// and admins only.
func mayRecordFromPaper(me *domain.User) error {
	if me.Role == domain.RoleAdmin || me.Role == domain.RoleOrganizer {
		return nil
	}
	return domain.Errorf(domain.EForbidden, "Vai trò %s không ghi quyết định kết nạp từ hồ sơ giấy. "+
		"Quyết định kết nạp được ghi ở bước “Quyết định kết nạp” của hồ sơ kết nạp, do cán bộ tổ chức của cấp ủy có thẩm quyền ghi; "+
		"chỉ người được kết nạp trước khi dùng ketnap mới được ghi từ hồ sơ giấy, do cán bộ tổ chức của cấp ủy đã ra quyết định hoặc quản trị viên ghi",
		domain.RoleName(me.Role))
}

// paperAdmissionRefused says why p may not get an admission recorded from
// paper now: they are a member already, or they have an open case (whose
// decision step records it). nil when they may.
func (s *Service) paperAdmissionRefused(ctx context.Context, q *store.Store, p *domain.Person) error {
	if domain.IsMember(p.Stage) {
		ms, err := q.Memberships(ctx, p.ID)
		if err != nil {
			return err
		}
		if n := len(ms); n > 0 {
			m := ms[n-1]
			return domain.Errorf(domain.EConflict, "%s đã là %s (quyết định kết nạp số %s ngày %s): không ghi thêm quyết định kết nạp",
				p.FullName, lowerInitial(domain.StageName(p.Stage)), m.DecisionNo, vn.Date(m.DecisionDate))
		}
		return domain.Errorf(domain.EConflict, "%s đã là %s: không ghi thêm quyết định kết nạp", p.FullName, lowerInitial(domain.StageName(p.Stage)))
	}
	cases, err := q.CasesOfPerson(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, c := range cases {
		if !c.Closed() {
			return domain.Errorf(domain.EConflict, "%s đang có hồ sơ kết nạp (%s, lập ngày %s): quyết định kết nạp được ghi ở bước "+
				"“Quyết định kết nạp” của hồ sơ đó (mã hồ sơ %d), không ghi từ hồ sơ giấy",
				p.FullName, lowerInitial(domain.CaseStageName(c.Stage)), vn.Date(c.OpenedOn), c.ID)
		}
	}
	return nil
}

// MayRecordFromPaper reports whether the user may record an admission
// decision from paper for the person now (the person page offers the
// form only then): an organizer or admin who sees the person, who is not
// a member and has no open case.
func (s *Service) MayRecordFromPaper(ctx context.Context, p *domain.Person) bool {
	me, err := actor(ctx)
	if err != nil || mayRecordFromPaper(me) != nil {
		return false
	}
	return s.paperAdmissionRefused(ctx, s.store, p) == nil
}

// RecordMembership records, from paper, the admission decision of a
// person admitted before ketnap, and sets their stage from it. Only an
// organizer or admin whose scope holds the deciding body may; it is
// refused while the person has an open case (its decision step records
// the decision) and when the person is a member already. The membership
// is marked domain.OriginPaper: progress counts it in admitted_recorded.
func (s *Service) RecordMembership(ctx context.Context, personID int64, in MembershipInput) (*domain.Membership, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayRecordFromPaper(me); err != nil {
		return nil, err
	}
	p, _, err := s.personIn(ctx, me, personID, "")
	if err != nil {
		return nil, err
	}
	if err := s.paperAdmissionRefused(ctx, s.store, p); err != nil {
		return nil, err
	}
	m := &domain.Membership{PersonID: p.ID, DecisionNo: vn.Clean(in.DecisionNo), DecisionDate: in.DecisionDate,
		CeremonyDate: in.CeremonyDate, RecognitionDate: in.RecognitionDate, Status: in.Status, Origin: domain.OriginPaper}
	if m.Status == "" {
		m.Status = domain.StageProbationary
		if m.RecognitionDate != nil {
			m.Status = domain.StageOfficial
		}
	}
	var admitted *domain.Org
	if in.AdmittedOrgCode == "" {
		if admitted, err = s.store.GetOrg(ctx, p.OrgID); err != nil {
			return nil, err
		}
	} else if admitted, err = s.orgIn(ctx, me, in.AdmittedOrgCode, "admitted_org"); err != nil {
		return nil, err
	}
	m.AdmittedOrgID = admitted.ID
	if err := s.validMembership(ctx, p, m); err != nil {
		return nil, err
	}
	if err := s.openUnit(ctx, admitted, m.DecisionDate, "admitted_org"); err != nil {
		return nil, err
	}
	decider, err := s.paperDecider(ctx, me, admitted, in.DecidedByCode, m.DecisionDate)
	if err != nil {
		return nil, err
	}
	m.DecidedByID = decider.ID
	if !me.Sees(decider.Path) {
		return nil, domain.Errorf(domain.EForbidden, "Quyết định kết nạp này do %s ban hành: chỉ cán bộ tổ chức của %s (hoặc cấp trên) "+
			"hoặc quản trị viên được ghi từ hồ sơ giấy", decider.Name, decider.Name)
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		// judged again in the transaction: a case opened or a decision
		// recorded meanwhile wins
		now, _, err := tx.GetPerson(ctx, p.ID)
		if err != nil {
			return err
		}
		if err := s.paperAdmissionRefused(ctx, tx, now); err != nil {
			return err
		}
		if err := tx.CreateMembership(ctx, m); err != nil {
			return err
		}
		if err := tx.SetStage(ctx, p.ID, m.Status, s.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "admit", "person", p.ID, map[string]any{"decision_no": m.DecisionNo, "date": m.DecisionDate,
			"decided_by": decider.Code, "origin": m.Origin})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// paperDecider is the deciding body of an admission recorded from paper:
// the one given, or the one recorded for the admitted unit on the
// decision date. It is the admitted unit or one above it on that date.
func (s *Service) paperDecider(ctx context.Context, me *domain.User, admitted *domain.Org, code string, date time.Time) (*domain.Org, error) {
	if strings.TrimSpace(code) != "" {
		d, err := s.store.GetOrgByCode(ctx, code)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENotFound && me.OrgPath == "" {
				return nil, domain.FieldError("decided_by", "Không có cấp ủy mã %q", vn.Echo(strings.TrimSpace(code)))
			}
			return nil, hidden(me, "decided_by", err)
		}
		// above the admitted unit in the tree of the decision's date (a unit
		// moved since stood under its former parent then)
		path := admitted.Path
		if _, at, err := s.store.PlaceOn(ctx, admitted.ID, date); err == nil {
			path = at
		}
		if !strings.HasPrefix(path, d.Path) {
			if !me.Sees(d.Path) {
				return nil, outOfScope("decided_by")
			}
			return nil, domain.FieldError("decided_by", "%s không phải là cấp ủy cấp trên của %s nên không ra quyết định kết nạp tại đó", d.Name, admitted.Name)
		}
		return d, nil
	}
	a, err := s.store.AuthorityOn(ctx, admitted, date)
	if err != nil {
		return nil, err
	}
	if a == nil {
		return nil, domain.FieldError("decided_by", "Cần mã cấp ủy đã ra quyết định kết nạp (chưa ghi thẩm quyền kết nạp của %s vào ngày %s)",
			admitted.Name, vn.Date(date))
	}
	return s.store.GetOrg(ctx, a.DeciderID)
}

// mayDecide is the scope check of a case's decision step: the user's
// scope holds the deciding body (nil: none recorded, the case's scope
// alone is checked).
func mayDecide(me *domain.User, decider *domain.Org) error {
	if decider == nil || me.Sees(decider.Path) {
		return nil
	}
	return domain.Errorf(domain.EForbidden, "Quyết định kết nạp của hồ sơ này do %s ban hành: chỉ cán bộ tổ chức của %s (hoặc cấp trên) "+
		"hoặc quản trị viên được ghi", decider.Name, decider.Name)
}

// stageStep names the step that gives a person the stage want (from
// have): nobody edits a stage, it follows from the cases and the
// memberships.
func stageStep(have, want string) error {
	var how string
	switch want {
	case domain.StageSource:
		how = "trở lại quần chúng khi hồ sơ kết nạp được rút khỏi danh sách hoặc không được kết nạp (ghi ở hồ sơ kết nạp)"
	case domain.StageCandidate:
		how = "trở thành người đang làm hồ sơ khi chi bộ ghi ngày lập hồ sơ: lập hồ sơ kết nạp trên trang của người này rồi ghi bước “Lập hồ sơ”"
	case domain.StageProbationary:
		how = "trở thành đảng viên dự bị khi quyết định kết nạp được ghi ở bước “Quyết định kết nạp” của hồ sơ kết nạp; " +
			"người được kết nạp trước khi dùng ketnap: cán bộ tổ chức ghi quyết định kết nạp từ hồ sơ giấy (mục “Ghi quyết định kết nạp” trên trang của người này)"
	case domain.StageOfficial:
		how = "trở thành đảng viên chính thức khi quyết định công nhận được ghi ở bước “Công nhận đảng viên chính thức” của hồ sơ kết nạp; " +
			"người được kết nạp trước khi dùng ketnap: cán bộ tổ chức ghi quyết định kết nạp từ hồ sơ giấy kèm ngày công nhận chính thức"
	case domain.StageStruckOff:
		how = "bị xóa tên khi quyết định xóa tên đảng viên dự bị được ghi ở hồ sơ kết nạp"
	default:
		how = "thôi sinh hoạt khi quyết định kết nạp được ghi từ hồ sơ giấy với trạng thái “Không còn sinh hoạt”"
	}
	return domain.FieldError("stage", "Không sửa trực tiếp giai đoạn (“%s” → “%s”): giai đoạn đi theo hồ sơ kết nạp và quyết định kết nạp. Người này %s",
		domain.StageName(have), domain.StageName(want), how)
}
