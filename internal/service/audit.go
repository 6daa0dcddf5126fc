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

// The audit log (issue 13, item 4): every write of the service and every
// download of personal data leaves a record, hash-chained in the store
// (store/audit.go). Admins read it on the audit page: an admin of the whole
// system every record, an admin bound to a unit the records of the users
// bound inside their subtree.

// AuditQuery selects records of the audit log.
type AuditQuery struct {
	Username string
	Entity   string
	EntityID int64
	From, To time.Time // dates (Vietnam), both included; zero: open
	Page     int
	PerPage  int
}

// AuditEntry is one record as the audit page shows it.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64
	Username string // "" for the system (the command line)
	FullName string
	Action   string
	Entity   string
	EntityID int64
	Detail   string
	Hash     string
}

// AuditPage is one page of the audit log.
type AuditPage struct {
	Entries []AuditEntry
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p *AuditPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// MaxAuditExport bounds the records of one export of the audit log.
const MaxAuditExport = 100_000

// MayReadAudit reports whether the signed-in user may read the audit log.
func (s *Service) MayReadAudit(ctx context.Context) bool {
	me, err := actor(ctx)
	return err == nil && me.Role == domain.RoleAdmin
}

func (s *Service) auditFilter(ctx context.Context, q AuditQuery) (store.AuditFilter, error) {
	me, err := actor(ctx)
	if err != nil {
		return store.AuditFilter{}, err
	}
	if me.Role != domain.RoleAdmin {
		return store.AuditFilter{}, domain.Errorf(domain.EForbidden, "Chỉ quản trị viên xem được nhật ký hệ thống")
	}
	f := store.AuditFilter{Path: scopePath(me), Entity: strings.TrimSpace(q.Entity), EntityID: q.EntityID}
	if name := strings.ToLower(strings.TrimSpace(q.Username)); name != "" {
		u, _, err := s.store.UserByUsername(ctx, name)
		var path string
		if err == nil {
			path = u.OrgPath
		}
		if err := reach(me, "user", err, path); err != nil {
			return f, err
		}
		f.UserID = u.ID
	}
	if !q.From.IsZero() {
		f.From = time.Date(q.From.Year(), q.From.Month(), q.From.Day(), 0, 0, 0, 0, domain.Vietnam)
	}
	if !q.To.IsZero() {
		f.To = time.Date(q.To.Year(), q.To.Month(), q.To.Day()+1, 0, 0, 0, 0, domain.Vietnam)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return f, domain.FieldError("to", "Ngày cuối phải từ ngày đầu trở đi")
	}
	return f, nil
}

func auditEntry(r store.AuditRow) AuditEntry {
	return AuditEntry{ID: r.ID, At: r.At, UserID: r.UserID, Username: r.Username, FullName: r.FullName, Action: r.Action,
		Entity: r.Entity, EntityID: r.EntityID, Detail: r.Detail, Hash: r.Hash}
}

// Audit returns a page of the audit log, newest first.
func (s *Service) Audit(ctx context.Context, q AuditQuery) (*AuditPage, error) {
	f, err := s.auditFilter(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.PerPage <= 0 || q.PerPage > 500 {
		q.PerPage = 50
	}
	q.Page = max(q.Page, 1)
	f.Limit, f.Offset = q.PerPage, (q.Page-1)*q.PerPage
	rows, total, err := s.store.ListAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	p := &AuditPage{Total: total, Page: q.Page, PerPage: q.PerPage}
	for _, r := range rows {
		p.Entries = append(p.Entries, auditEntry(r))
	}
	return p, nil
}

// EachAudit calls fn for every record the query selects, newest first, at
// most MaxAuditExport (the export), and records the export itself.
func (s *Service) EachAudit(ctx context.Context, q AuditQuery, fn func(AuditEntry) error) error {
	f, err := s.auditFilter(ctx, q)
	if err != nil {
		return err
	}
	f.Limit = MaxAuditExport
	if err := s.store.EachAuditRow(ctx, f, func(r store.AuditRow) error { return fn(auditEntry(r)) }); err != nil {
		return err
	}
	return s.RecordDownload(ctx, "audit", 0, map[string]any{"user": q.Username, "entity": q.Entity, "from": dateOrEmpty(q.From), "to": dateOrEmpty(q.To)})
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(domain.DateLayout)
}

// AuditVerdict is the result of verifying the audit log's chain.
type AuditVerdict struct {
	Checked int
	OK      bool
	BreakID int64  // the first record that does not verify
	Reason  string // store.AuditChanged …
	Message string // Vietnamese
}

// VerifyAudit checks the hash chain of the whole audit log (admins of the
// whole system; ketnap audit verify): intact, or the first record that
// does not verify and why.
func (s *Service) VerifyAudit(ctx context.Context) (*AuditVerdict, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if me.Role != domain.RoleAdmin || me.OrgPath != "" {
		return nil, domain.Errorf(domain.EForbidden, "Chỉ quản trị toàn hệ thống mới kiểm tra được nhật ký hệ thống")
	}
	brk, n, err := s.store.VerifyAudit(ctx)
	if err != nil {
		return nil, err
	}
	v := &AuditVerdict{Checked: n, OK: brk == nil}
	if brk == nil {
		v.Message = fmt.Sprintf("Nhật ký hệ thống toàn vẹn: %s bản ghi, chuỗi băm khớp từ đầu đến cuối.", vn.Int(n))
		return v, nil
	}
	v.BreakID, v.Reason = brk.ID, brk.Reason
	switch brk.Reason {
	case store.AuditChanged:
		v.Message = fmt.Sprintf("Bản ghi số %d không khớp mã băm của chính nó: nội dung đã bị sửa.", brk.ID)
	case store.AuditLinkBroken:
		v.Message = fmt.Sprintf("Bản ghi số %d không nối đúng với bản ghi liền trước: bản ghi trước nó đã bị xóa, sửa hoặc đổi chỗ.", brk.ID)
	case store.AuditOutside:
		v.Message = fmt.Sprintf("Bản ghi số %d nằm ngoài chuỗi băm: được thêm thẳng vào cơ sở dữ liệu.", brk.ID)
	default:
		v.Message = fmt.Sprintf("Thiếu bản ghi số %d, bản ghi cuối của chuỗi băm: phần cuối nhật ký đã bị xóa.", brk.ID)
	}
	v.Message += fmt.Sprintf(" (%s bản ghi trước đó khớp.)", vn.Int(n))
	return v, nil
}

// RecordDownload records that the signed-in user downloaded personal data
// (an export with names, a case's file): entity and id name what, detail
// the filters. It is its own transaction.
func (s *Service) RecordDownload(ctx context.Context, entity string, id int64, detail map[string]any) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.audit(ctx, s.store, me, "download", entity, id, detail)
}

// AuditActionName is the Vietnamese name of an audit action.
func AuditActionName(action string) string {
	if n, ok := auditActions[action]; ok {
		return n
	}
	return action
}

var auditActions = map[string]string{
	"create": "Tạo", "update": "Sửa", "import": "Nhập Excel", "download": "Tải dữ liệu cá nhân", "reveal_cccd": "Xem số CCCD",
	"view_file": "Tải tệp hồ sơ", "disable": "Khóa tài khoản", "enable": "Mở khóa tài khoản", "reset_password": "Cấp mật khẩu tạm",
	"set_password": "Đặt mật khẩu", "change_password": "Đổi mật khẩu", "revoke": "Thu hồi", "authority": "Ghi thẩm quyền kết nạp",
	"admit": "Ghi quyết định kết nạp", "open": "Mở", "enrol": "Ghi danh", "withdraw": "Rút tên", "finish": "Kết thúc",
	"cancel": "Hủy", "reorg": "Sắp xếp tổ chức", "target": "Giao chỉ tiêu", "demo": "Nạp dữ liệu mẫu", "record": "Ghi nhận",
	"forget": "Xóa", "certificates": "Cấp giấy chứng nhận", "results": "Ghi điểm", "attendance": "Điểm danh", "retake": "Thi lại",
}

// AuditEntityName is the Vietnamese name of an audited entity.
func AuditEntityName(entity string) string {
	if n, ok := auditEntities[entity]; ok {
		return n
	}
	return entity
}

var auditEntities = map[string]string{
	"person": "Người", "case": "Hồ sơ kết nạp", "org": "Tổ chức", "class": "Lớp học", "user": "Tài khoản", "token": "Mã truy cập",
	"target": "Chỉ tiêu", "holiday_schedule": "Lịch nghỉ", "residential_unit": "Thôn, tổ dân phố", "reorg": "Phương án sắp xếp",
	"people": "Danh sách người", "cases": "Danh sách hồ sơ", "todo": "Việc cần làm", "audit": "Nhật ký hệ thống",
	"class_roster": "Danh sách lớp", "certificate": "Giấy chứng nhận", "report": "Báo cáo hội nghị",
}

// AuditEntities lists the entities with their names, for the page's filter.
func AuditEntities() [][2]string {
	var out [][2]string
	for k, v := range auditEntities {
		out = append(out, [2]string{k, v})
	}
	vn.SortByName(out, func(x [2]string) string { return x[1] })
	return out
}
