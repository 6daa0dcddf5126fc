package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// Moves at any stage (DOMAIN §5 step 10): transfers between chapters,
// withdrawal, refusal, pause; and the attached scans.

// TransferInput moves the candidate (or probationary member) to another chapter.
type TransferInput struct {
	ToOrgCode string
	Date      time.Time
	Received  *time.Time // the day the destination received the dossier, when known (else recorded later)
	Reason    string
	Version   int64
}

// TransferCase moves the case and the person to another chapter the user
// sees (HD06 §3.9). Before the chapter's resolution the destination
// assigns a new helper and the introducers' 12-month condition is waived
// (HD06 §3.9a); a dossier already resolved on goes to the destination's
// competent committee, which decides within 30 working days; after the
// decision the ceremony is held at the destination.
func (s *Service) TransferCase(ctx context.Context, id int64, in TransferInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "transfer", who: byBoard, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) { return s.transfer(ctx, st, in) }})
}

// transfer checks and writes a transfer of the case st to another chapter.
func (s *Service) transfer(ctx context.Context, st *caseState, in TransferInput) (any, error) {
	to, err := s.orgIn(ctx, st.me, in.ToOrgCode, "to")
	if err != nil {
		return nil, err
	}
	c := st.c
	switch {
	case !to.Kind.IsChapter():
		return nil, domain.FieldError("to", "%s không phải là chi bộ", to.Name)
	case to.ID == c.OrgID:
		return nil, domain.FieldError("to", "Hồ sơ đang ở %s", to.Name)
	}
	if err := notFuture("date", in.Date, st.today); err != nil {
		return nil, err
	}
	if !to.OpenOn(in.Date) {
		return nil, domain.FieldError("to", "%s không hoạt động vào ngày %s", to.Name, vn.Date(in.Date))
	}
	if t := st.lastTransfer(); t != nil {
		if err := notBefore("date", in.Date, &t.Date, "lần chuyển trước"); err != nil {
			return nil, err
		}
	}
	if in.Received != nil {
		if err := st.checkReceipt("received", *in.Received, in.Date, "ngày chuyển"); err != nil {
			return nil, err
		}
	}
	x := &domain.CaseTransfer{CaseID: c.ID, FromOrgID: c.OrgID, ToOrgID: to.ID, Date: in.Date, Stage: c.Stage, Reason: vn.Clean(in.Reason),
		ReceivedOn: in.Received}
	before := c.Stage == domain.CaseSource || c.Stage == domain.CaseDossier
	if before {
		c.HelperID = 0
	}
	c.OrgID = to.ID
	st.org = to
	if err := s.store.AddTransfer(ctx, x); err != nil {
		return nil, err
	}
	if before {
		if err := s.store.WaiveIntroducers(ctx, c.ID, "Người vào Đảng chuyển sinh hoạt đến "+to.Name+" ngày "+vn.Date(in.Date)+" (HD06 §3.9a)"); err != nil {
			return nil, err
		}
	}
	st.person.OrgID = to.ID
	if err := s.store.UpdatePerson(ctx, st.person, s.Now()); err != nil {
		return nil, err
	}
	return map[string]any{"from": x.FromOrgID, "to": to.Code, "date": in.Date, "stage": x.Stage}, nil
}

// CloseInput ends or pauses a case, with the date and the reason.
type CloseInput struct {
	Date    time.Time
	Reason  string
	Version int64
}

func (in CloseInput) check(today time.Time) (string, error) {
	if err := notFuture("date", in.Date, today); err != nil {
		return "", err
	}
	r := vn.Clean(in.Reason)
	if r == "" || len([]rune(r)) > 1000 {
		return "", domain.FieldError("reason", "Cần ghi lý do (tối đa 1000 ký tự)")
	}
	return r, nil
}

// WithdrawCase takes the candidate off the path before the decision (the
// candidate asks, or the chapter removes them from the list).
func (s *Service) WithdrawCase(ctx context.Context, id int64, in CloseInput) (*CaseView, error) {
	return s.closeCase(ctx, id, byChapter, domain.CaseWithdrawn, in)
}

// RefuseCase records that the candidate is not admitted, outside a vote
// (the organization board's re-check finds a condition unmet).
func (s *Service) RefuseCase(ctx context.Context, id int64, in CloseInput) (*CaseView, error) {
	return s.closeCase(ctx, id, byBoard, domain.CaseRefused, in)
}

func (s *Service) closeCase(ctx context.Context, id int64, who int, stage string, in CloseInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: stage, who: who, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if st.c.Admitted() {
				return nil, domain.Errorf(domain.EInvalid, "Đã có quyết định kết nạp: đảng viên dự bị không đủ tư cách thì xét xóa tên theo quy định (Điều lệ Đ.5)")
			}
			if st.c.Stage == domain.CaseVoteFailed {
				return nil, domain.Errorf(domain.EInvalid, "Biểu quyết không đạt đang chờ cấp có thẩm quyền xem xét: hồ sơ kết thúc bằng kết luận của cấp có thẩm quyền (số, ngày, nội dung; HD06 §5.1)")
			}
			reason, err := in.check(st.today)
			if err != nil {
				return nil, err
			}
			if err := notBefore("date", in.Date, &st.c.OpenedOn, "ngày đưa vào danh sách"); err != nil {
				return nil, err
			}
			st.close(stage, in.Date, reason)
			return map[string]any{"date": in.Date, "reason": reason}, s.setPersonStage(ctx, st, st.stageAfterRefusal())
		}})
}

// PauseCase pauses a case (its deadlines leave the lists of what is due).
func (s *Service) PauseCase(ctx context.Context, id int64, in CloseInput) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "pause", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if st.c.PausedOn != nil {
				return nil, domain.Errorf(domain.EInvalid, "Hồ sơ đang tạm dừng từ ngày %s", vn.Date(*st.c.PausedOn))
			}
			reason, err := in.check(st.today)
			if err != nil {
				return nil, err
			}
			st.c.PausedOn, st.c.PauseReason = &in.Date, reason
			return map[string]any{"date": in.Date, "reason": reason}, nil
		}})
}

// ResumeCase resumes a paused case.
func (s *Service) ResumeCase(ctx context.Context, id, version int64) (*CaseView, error) {
	return s.runStep(ctx, id, caseStep{action: "resume", who: byChapter, version: version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			if st.c.PausedOn == nil {
				return nil, domain.Errorf(domain.EInvalid, "Hồ sơ không tạm dừng")
			}
			st.c.PausedOn, st.c.PauseReason = nil, ""
			return nil, nil
		}})
}

// MaxFileSize is the largest scan accepted.
const MaxFileSize = 10 << 20

// FileTypes are the kinds of scans accepted, by sniffed content type.
var FileTypes = map[string]string{"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}

// FileInput is a scan to attach to a case.
type FileInput struct {
	Kind    string // a document kind (domain.DocumentNames), "verification", "consent", "other" or ""
	Name    string
	Data    []byte
	Version int64
}

// AttachFile stores a scan (PDF, JPEG or PNG by its content, not its
// name; at most 10 MB) in the database with its SHA-256.
func (s *Service) AttachFile(ctx context.Context, id int64, in FileInput) (*domain.CaseFile, error) {
	var f *domain.CaseFile
	_, err := s.runStep(ctx, id, caseStep{action: "attach", who: byChapter, version: in.Version,
		apply: func(ctx context.Context, s *Service, st *caseState) (any, error) {
			var err error
			if f, err = s.caseFile(st, in); err != nil {
				return nil, err
			}
			return map[string]any{"name": f.Name, "kind": f.Kind, "size": f.Size, "sha256": f.SHA256}, s.store.AddCaseFile(ctx, f)
		}})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// caseFile checks a scan and returns the file to store.
func (s *Service) caseFile(st *caseState, in FileInput) (*domain.CaseFile, error) {
	if _, ok := domain.DocumentNames[in.Kind]; !ok && in.Kind != "" && in.Kind != "verification" && in.Kind != "consent" && in.Kind != "other" {
		return nil, domain.FieldError("kind", "Loại văn bản %q không hợp lệ", in.Kind)
	}
	if len(in.Data) > MaxFileSize {
		return nil, domain.Errorf(domain.ETooLarge, "Tệp quá lớn (%s byte); tối đa 10 MB", vn.Int(len(in.Data)))
	}
	if len(in.Data) == 0 {
		return nil, domain.FieldError("file", "Tệp rỗng")
	}
	ct := http.DetectContentType(in.Data)
	if _, ok := FileTypes[ct]; !ok {
		return nil, domain.FieldError("file", "Chỉ nhận bản quét PDF, JPEG hoặc PNG; nội dung tệp %q là %s", vn.Echo(in.Name), strings.Split(ct, ";")[0])
	}
	name := vn.Clean(path.Base(strings.ReplaceAll(in.Name, `\`, "/")))
	if name == "" || name == "." || name == "/" {
		name = "tep"
	}
	if len([]rune(name)) > 200 {
		name = string([]rune(name)[:200])
	}
	sum := sha256.Sum256(in.Data)
	return &domain.CaseFile{CaseID: st.c.ID, Kind: in.Kind, Name: name, ContentType: ct, Size: int64(len(in.Data)),
		SHA256: hex.EncodeToString(sum[:]), Data: in.Data, UploadedAt: s.Now(), UploadedBy: st.me.Username}, nil
}

// CaseFile returns an attached scan with its contents; reading it is
// recorded in the audit log (the dossier is sensitive, DOMAIN §3).
func (s *Service) CaseFile(ctx context.Context, id, fileID int64) (*domain.CaseFile, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.caseIn(ctx, me, id, ""); err != nil {
		return nil, err
	}
	f, err := s.store.CaseFile(ctx, id, fileID)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, s.store, me, "view_file", "case", id, map[string]any{"file": fileID}); err != nil {
		return nil, err
	}
	return f, nil
}
