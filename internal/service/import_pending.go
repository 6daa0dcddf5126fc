package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// A file checked on the import page is kept on the server (table
// pending_imports) for PendingImportTTL under a random token tied to the
// user and the kind, so that importing it after the check needs no new
// upload; it is checked again when imported.

// PendingImportTTL is how long a checked file is kept for its confirmation.
const PendingImportTTL = 2 * time.Hour

// Import kinds.
const (
	ImportOrgs       = "orgs"
	ImportMembers    = "members"
	ImportCandidates = "candidates"
	ImportTargets    = "targets"
)

// ImportKinds lists the kinds of import with their Vietnamese names.
var ImportKinds = []struct{ Code, Name string }{
	{ImportOrgs, "Tổ chức đảng"},
	{ImportMembers, "Đảng viên"},
	{ImportCandidates, "Quần chúng ưu tú, người đang làm hồ sơ"},
	{ImportTargets, "Chỉ tiêu, kế hoạch"},
}

// ImportKindName returns the Vietnamese name of a kind of import, "" when unknown.
func ImportKindName(kind string) string {
	for _, k := range ImportKinds {
		if k.Code == kind {
			return k.Name
		}
	}
	return ""
}

// GoneError is a kept file that can no longer be imported (unknown,
// imported, expired, another user's or of another kind): the user chooses
// the file again. Its message says why.
type GoneError struct{ Message string }

func (e *GoneError) Error() string { return e.Message }

// KeepImport keeps a checked file of the kind for the signed-in user and
// returns it with its token. Keeping a file purges the expired ones and
// the user's oldest past store.MaxPendingImportsPerUser.
func (s *Service) KeepImport(ctx context.Context, kind, fileName string, data []byte) (*domain.PendingImport, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	sum := sha256.Sum256(data)
	p := &domain.PendingImport{Token: rand.Text(), UserID: me.ID, Kind: kind, FileName: fileName,
		SHA256: hex.EncodeToString(sum[:]), Data: data, CreatedAt: now}
	if err := s.store.PutPendingImport(ctx, p, now.Add(-PendingImportTTL)); err != nil {
		return nil, err
	}
	return p, nil
}

// PendingImport returns the signed-in user's file kept under token for the
// kind. A token that is unknown, another user's, of another kind or too old
// gives a *GoneError asking to choose the file again; a file whose bytes no
// longer match their digest is an internal error.
func (s *Service) PendingImport(ctx context.Context, token, kind string) (*domain.PendingImport, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	again := " Hãy chọn lại tệp rồi bấm “Kiểm tra (chưa ghi)”."
	gone := &GoneError{"Máy chủ không còn giữ tệp đã kiểm tra này: tệp đã được nhập, đã quá " + hours(PendingImportTTL) +
		" kể từ lúc kiểm tra, hoặc thuộc tài khoản khác." + again}
	if token == "" || len(token) > 64 {
		return nil, gone
	}
	p, err := s.store.GetPendingImport(ctx, token, me.ID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, gone
	}
	if err != nil {
		return nil, err
	}
	if s.Now().Sub(p.CreatedAt) > PendingImportTTL {
		if err := s.store.DeletePendingImport(ctx, p.Token, me.ID); err != nil {
			return nil, err
		}
		return nil, &GoneError{fmt.Sprintf("Tệp “%s” được kiểm tra lúc %s; đã quá %s nên máy chủ không còn giữ tệp.",
			p.FileName, vn.DateTime(p.CreatedAt), hours(PendingImportTTL)) + again}
	}
	if p.Kind != kind {
		return nil, &GoneError{fmt.Sprintf("Tệp “%s” đã được kiểm tra để nhập %s, không phải loại dữ liệu vừa chọn.",
			p.FileName, strings.ToLower(ImportKindName(p.Kind))) + again}
	}
	if sum := sha256.Sum256(p.Data); hex.EncodeToString(sum[:]) != p.SHA256 {
		return nil, domain.Errorf(domain.EInternal, "Tệp “%s” lưu trên máy chủ đã bị hỏng.%s", p.FileName, again)
	}
	return p, nil
}

// DropImport forgets the signed-in user's file kept under token.
func (s *Service) DropImport(ctx context.Context, token string) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.store.DeletePendingImport(ctx, token, me.ID)
}

// hours writes a whole number of hours ("2 giờ").
func hours(d time.Duration) string { return fmt.Sprintf("%d giờ", int(d/time.Hour)) }
