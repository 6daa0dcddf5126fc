package importer

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// The stage facts of a candidates file: how far each candidate's admission
// procedure went. All optional; a row with any of them is replayed through
// the procedure's service calls (service.ImportCandidates), so the rules
// judge it and the deadlines follow from it.

// Headers of the stage-fact columns.
const (
	ColOpened      = "Ngày vào danh sách cảm tình Đảng"
	ColHardship    = "Vùng đặc biệt khó khăn"
	ColHelper      = "Đảng viên giúp đỡ"
	ColCertNo      = "Số giấy chứng nhận lớp nhận thức"
	ColCertDate    = "Ngày cấp giấy chứng nhận"
	ColDossier     = "Ngày lập hồ sơ"
	ColVerifSent   = "Ngày gửi thẩm tra lý lịch"
	ColVerifTo     = "Nơi thẩm tra lý lịch"
	ColVerifReply  = "Ngày có kết quả thẩm tra"
	ColVerifResult = "Kết quả thẩm tra"
	ColOpinions    = "Ngày có ý kiến nhận xét"
	ColYouthRes    = "Ngày nghị quyết giới thiệu của Đoàn"
	ColIntro1      = "Người giới thiệu 1"
	ColIntro2      = "Người giới thiệu 2"
	ColMonths      = "Số tháng cùng công tác"
	ColCVDate      = "Ngày nghị quyết chi bộ"
	ColCVNo        = "Số nghị quyết chi bộ"
	ColCVMembers   = "Chi bộ: số đảng viên chính thức"
	ColCVExcluded  = "Chi bộ: số không tính"
	ColCVPresent   = "Chi bộ: số có mặt"
	ColCVYes       = "Chi bộ: số tán thành"
	ColKVDate      = "Ngày nghị quyết đảng ủy cơ sở"
	ColKVNo        = "Số nghị quyết đảng ủy cơ sở"
	ColKVMembers   = "Đảng ủy: số ủy viên"
	ColKVPresent   = "Đảng ủy: số có mặt"
	ColKVYes       = "Đảng ủy: số tán thành"
)

// DefaultAddressee is the committee asked to verify when the file does not say.
const DefaultAddressee = "Cấp ủy nơi cư trú của người vào Đảng"

// DefaultVerificationResult is the reply recorded when the file gives its date only.
const DefaultVerificationResult = "Đã có kết quả thẩm tra lý lịch (ghi từ tệp nhập, xem bản giấy trong hồ sơ)"

func factColumns() []column {
	d := func(h, note string) column { return column{Header: h, Date: true, Width: 14, Note: note} }
	n := func(h, note string) column { return column{Header: h, Width: 10, Note: note} }
	member := "Số CCCD hoặc họ và tên của một đảng viên chính thức (tên phải là duy nhất trong chi bộ hoặc đảng bộ cơ sở; trùng tên thì ghi số CCCD)."
	return []column{
		d(ColOpened, "Quá trình (các cột từ đây đều có thể để trống): ngày chi bộ đưa vào danh sách cảm tình Đảng; để trống là ngày sớm nhất ghi ở các cột sau."),
		{Header: ColHardship, List: "yesno", Width: 10, Note: "Có nếu sống, làm việc ở vùng đặc biệt khó khăn hoặc là ngư dân (ngoại lệ về trình độ học vấn, QĐ294 §1.2)."},
		{Header: ColHelper, Width: 24, Note: "Đảng viên được phân công giúp đỡ. " + member},
		{Header: ColCertNo, Text: true, Width: 16, Note: "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng (nếu lớp học đã ghi trong ketnap thì để trống)."},
		d(ColCertDate, "Ngày cấp giấy chứng nhận; cần cùng với số."),
		d(ColDossier, "Ngày lập hồ sơ: đơn xin vào Đảng và lý lịch ghi theo ngày này."),
		d(ColVerifSent, "Ngày gửi yêu cầu thẩm tra lý lịch; hạn trả lời 30 ngày làm việc."),
		{Header: ColVerifTo, Width: 24, Note: "Cấp ủy được đề nghị thẩm tra; để trống là “" + DefaultAddressee + "”."},
		d(ColVerifReply, "Ngày nhận kết quả thẩm tra; để trống nếu còn chờ."),
		{Header: ColVerifResult, Width: 24, Note: "Tóm tắt kết quả; có thể để trống."},
		d(ColOpinions, "Ngày có ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú."),
		d(ColYouthRes, "Nếu Đoàn giới thiệu: ngày nghị quyết của Ban Chấp hành Đoàn (khi đó chỉ cần một đảng viên giới thiệu)."),
		{Header: ColIntro1, Width: 24, Note: member},
		{Header: ColIntro2, Width: 24, Note: member},
		n(ColMonths, "Số tháng người giới thiệu cùng công tác, sinh hoạt với người vào Đảng (ghi số nhỏ nhất nếu hai người khác nhau; cần ít nhất 12)."),
		d(ColCVDate, "Ngày chi bộ họp xét, biểu quyết đề nghị kết nạp."),
		{Header: ColCVNo, Text: true, Width: 14, Note: "Ví dụ 05-NQ/CB; có thể để trống."},
		n(ColCVMembers, "Tổng số đảng viên chính thức của chi bộ."),
		n(ColCVExcluded, "Số đảng viên không tính vào tổng số (giới thiệu sinh hoạt tạm thời, miễn sinh hoạt và vắng mặt, bị đình chỉ, bị truy tố); để trống là 0."),
		n(ColCVPresent, "Số đảng viên chính thức có mặt."),
		n(ColCVYes, "Số tán thành (cần ít nhất 2/3 số đảng viên chính thức được tính)."),
		d(ColKVDate, "Ngày đảng ủy cơ sở họp, biểu quyết (nơi có đảng ủy cơ sở)."),
		{Header: ColKVNo, Text: true, Width: 14, Note: "Ví dụ 12-NQ/ĐU; có thể để trống."},
		n(ColKVMembers, "Tổng số đảng ủy viên."),
		n(ColKVPresent, "Số đảng ủy viên có mặt."),
		n(ColKVYes, "Số tán thành (cần ít nhất 2/3 số đảng ủy viên)."),
	}
}

// factCols are the headers of the stage facts, for "does the row have any".
var factCols = func() []string {
	var out []string
	for _, c := range factColumns() {
		if c.Header != ColHardship {
			out = append(out, c.Header)
		}
	}
	return out
}()

// history reads the stage facts of r, the candidate of the chapter org
// (nil when the row has none); ok is false when a cell is wrong.
func (im *importer) history(r dataRow, org *domain.Org) (h *service.CaseHistory, ok bool) {
	any := false
	for _, c := range factCols {
		if im.t.get(r, c) != "" {
			any = true
			break
		}
	}
	if !any {
		return nil, true
	}
	ok = true
	h = &service.CaseHistory{}
	date := func(col string) *time.Time {
		d, good := im.date(r, col)
		ok = ok && good
		if !good || d.IsZero() {
			return nil
		}
		return &d
	}
	if d := date(ColOpened); d != nil {
		h.OpenedOn = *d
	}
	var good bool
	h.HardshipArea, good = im.yesNo(r, ColHardship)
	ok = ok && good
	h.CertificateNo = vn.Clean(im.t.get(r, ColCertNo))
	h.CertificateDate = date(ColCertDate)
	if (h.CertificateNo == "") != (im.t.get(r, ColCertDate) == "") {
		col := ColCertNo
		if h.CertificateNo != "" {
			col = ColCertDate
		}
		im.problem(r, col, "Giấy chứng nhận lớp nhận thức cần cả số và ngày cấp")
		ok = false
	}
	h.DossierOpened = date(ColDossier)
	h.VerificationSent = date(ColVerifSent)
	h.VerificationAddressee = vn.Clean(im.t.get(r, ColVerifTo))
	if h.VerificationAddressee == "" {
		h.VerificationAddressee = DefaultAddressee
	}
	h.VerificationReplied = date(ColVerifReply)
	h.VerificationResult = vn.Clean(im.t.get(r, ColVerifResult))
	if h.VerificationResult == "" {
		h.VerificationResult = DefaultVerificationResult
	}
	if h.VerificationReplied != nil && h.VerificationSent == nil && im.t.get(r, ColVerifSent) == "" {
		im.problem(r, ColVerifSent, "Có ngày nhận kết quả thẩm tra nhưng chưa có ngày gửi yêu cầu thẩm tra")
		ok = false
	}
	h.Opinions = date(ColOpinions)
	h.YouthResolution = date(ColYouthRes)
	if org != nil {
		if v := im.t.get(r, ColHelper); v != "" {
			if id, msg := im.memberRef(v, org); id == 0 {
				im.problem(r, ColHelper, msg)
				ok = false
			} else {
				h.HelperID = id
			}
		}
		for _, col := range []string{ColIntro1, ColIntro2} {
			if v := im.t.get(r, col); v != "" {
				if id, msg := im.memberRef(v, org); id == 0 {
					im.problem(r, col, msg)
					ok = false
				} else {
					h.Introducers = append(h.Introducers, id)
				}
			}
		}
	}
	if len(h.Introducers) == 2 && h.Introducers[0] == h.Introducers[1] {
		im.problem(r, ColIntro2, "Hai người giới thiệu là cùng một đảng viên: cần hai đảng viên chính thức khác nhau")
		ok = false
	}
	if v := im.t.get(r, ColMonths); v != "" {
		m, good := im.integer(r, ColMonths)
		ok = ok && good
		h.MonthsTogether = m
	} else if len(h.Introducers) > 0 {
		im.problem(r, ColMonths, "Có người giới thiệu nhưng chưa ghi số tháng cùng công tác, sinh hoạt với người vào Đảng (Điều lệ Đ.4: ít nhất 12 tháng)")
		ok = false
	}
	h.Chapter, good = im.voteFacts(r, ColCVDate, ColCVNo, ColCVMembers, ColCVExcluded, ColCVPresent, ColCVYes)
	ok = ok && good
	h.Committee, good = im.voteFacts(r, ColKVDate, ColKVNo, ColKVMembers, "", ColKVPresent, ColKVYes)
	ok = ok && good
	if h.Committee != nil && h.Chapter == nil && im.t.get(r, ColCVDate) == "" {
		im.problem(r, ColCVDate, "Có nghị quyết của đảng ủy cơ sở nhưng chưa có nghị quyết chi bộ đề nghị kết nạp")
		ok = false
	}
	if h.OpenedOn.IsZero() {
		for _, d := range []*time.Time{h.CertificateDate, h.DossierOpened, h.VerificationSent, h.Opinions, h.YouthResolution} {
			if d != nil && (h.OpenedOn.IsZero() || d.Before(h.OpenedOn)) {
				h.OpenedOn = *d
			}
		}
		if h.Chapter != nil && (h.OpenedOn.IsZero() || h.Chapter.Date.Before(h.OpenedOn)) {
			h.OpenedOn = h.Chapter.Date
		}
	}
	return h, ok
}

// voteFacts reads a resolution's columns: all or none of date, members,
// present and yes.
func (im *importer) voteFacts(r dataRow, dateCol, noCol, membersCol, excludedCol, presentCol, yesCol string) (*service.VoteFacts, bool) {
	raw := im.t.get(r, dateCol) + im.t.get(r, noCol) + im.t.get(r, membersCol) + im.t.get(r, presentCol) + im.t.get(r, yesCol)
	if excludedCol != "" {
		raw += im.t.get(r, excludedCol)
	}
	if raw == "" {
		return nil, true
	}
	ok := true
	for _, col := range []string{dateCol, membersCol, presentCol, yesCol} {
		if im.t.get(r, col) == "" {
			im.problem(r, col, fmt.Sprintf("Đã ghi nghị quyết nhưng thiếu “%s”: cần ngày, tổng số, số có mặt và số tán thành", col))
			ok = false
		}
	}
	if !ok {
		return nil, false
	}
	d, good := im.date(r, dateCol)
	ok = ok && good
	f := &service.VoteFacts{Date: d, Number: vn.Clean(im.t.get(r, noCol))}
	for _, x := range []struct {
		col string
		to  *int
	}{{membersCol, &f.Members}, {presentCol, &f.Present}, {yesCol, &f.Yes}, {excludedCol, &f.Excluded}} {
		if x.col == "" || im.t.get(r, x.col) == "" {
			continue
		}
		n, good := im.integer(r, x.col)
		if good && n < 0 {
			im.problem(r, x.col, fmt.Sprintf("“%s” phải là số không âm", x.col))
			good = false
		}
		ok = ok && good
		*x.to = n
	}
	return f, ok
}

// memberRef finds the official member a cell names for a candidate of
// the chapter org: a 12-digit citizen ID, or a name unique among the
// official members of the chapter (or else of its grassroots
// organization). It returns 0 and a message when there is none or several.
func (im *importer) memberRef(v string, org *domain.Org) (int64, string) {
	v = vn.Clean(v)
	if id := strings.ReplaceAll(v, " ", ""); isDigits(id) {
		if len(id) != 12 {
			return 0, fmt.Sprintf("“%s”: số CCCD phải có đủ 12 chữ số (giữ số 0 ở đầu)", v)
		}
		found, paths, err := im.svc.LegacyStore().PeopleByCCCD(im.ctx, []string{id})
		if err != nil {
			return 0, "Không tra được số CCCD: " + err.Error()
		}
		p := found[id]
		switch {
		case p == nil || !im.me.Sees(paths[p.ID]):
			return 0, fmt.Sprintf("Không có đảng viên nào có số CCCD %s trong phạm vi của bạn", vn.MaskCCCD(id))
		case p.Stage != domain.StageOfficial:
			return 0, fmt.Sprintf("%s (CCCD %s) là %s, không phải đảng viên chính thức (Điều lệ Đ.4)", p.FullName, vn.MaskCCCD(id), strings.ToLower(domain.StageName(p.Stage)))
		}
		return p.ID, ""
	}
	scopes := []string{org.Path}
	if parent := parentPath(org.Path); parent != "" && im.me.Sees(parent) {
		scopes = append(scopes, parent)
	}
	for _, path := range scopes {
		list, err := im.officials(path)
		if err != nil {
			return 0, "Không tra được danh sách đảng viên: " + err.Error()
		}
		// the exact name; a name typed without diacritics matches them
		// all ("Le Van Cuong" is Lê Văn Cường, "Lê Văn Cương" is not)
		matches := []func(m domain.MemberRef) bool{func(m domain.MemberRef) bool { return strings.EqualFold(m.FullName, v) }}
		if plain := vn.Fold(v); plain == strings.ToLower(v) {
			matches = append(matches, func(m domain.MemberRef) bool { return m.Fold == plain })
		}
		for _, match := range matches {
			var hits []domain.MemberRef
			for _, m := range list {
				if match(m) {
					hits = append(hits, m)
				}
			}
			switch len(hits) {
			case 0:
				continue
			case 1:
				return hits[0].ID, ""
			default:
				return 0, fmt.Sprintf("Có %d đảng viên chính thức tên “%s”: hãy ghi số CCCD của người này", len(hits), v)
			}
		}
	}
	return 0, fmt.Sprintf("Không có đảng viên chính thức tên “%s” trong %s hay đảng bộ cấp trên trực tiếp (ghi đúng họ tên, hoặc số CCCD)", v, org.Name)
}

// officials lists the official members under path, remembered.
func (im *importer) officials(path string) ([]domain.MemberRef, error) {
	if list, ok := im.members[path]; ok {
		return list, nil
	}
	list, err := im.svc.LegacyStore().OfficialsUnder(im.ctx, path)
	if err != nil {
		return nil, err
	}
	if im.members == nil {
		im.members = map[string][]domain.MemberRef{}
	}
	im.members[path] = list
	return list, nil
}

// parentPath is the path of the organization above ("/1/5/" for "/1/5/23/").
func parentPath(path string) string {
	p := strings.TrimSuffix(path, "/")
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return ""
	}
	return p[:i+1]
}

// factColumn is the column of a refused fact (the field of its error
// chooses among the resolution's figures).
func factColumn(fe *service.FactError) string {
	field := ""
	if e, ok := errors.AsType[*domain.Error](fe.Err); ok {
		field = e.Field
	}
	switch fe.Fact {
	case service.FactOpened:
		return ColOpened
	case service.FactHelper:
		return ColHelper
	case service.FactCertificate:
		if field == "number" {
			return ColCertNo
		}
		return ColCertDate
	case service.FactDossier:
		return ColDossier
	case service.FactVerification:
		if field == "addressee" {
			return ColVerifTo
		}
		return ColVerifSent
	case service.FactReply:
		return ColVerifReply
	case service.FactOpinions:
		return ColOpinions
	case service.FactYouth:
		return ColYouthRes
	case service.FactIntroducer:
		if field == "months_together" {
			return ColMonths
		}
		return ColIntro1
	case service.FactChapter:
		if col, ok := map[string]string{"members": ColCVMembers, "excluded": ColCVExcluded, "present": ColCVPresent,
			"yes": ColCVYes, "number": ColCVNo}[field]; ok {
			return col
		}
		return ColCVDate
	case service.FactCommittee:
		if col, ok := map[string]string{"members": ColKVMembers, "present": ColKVPresent, "yes": ColKVYes, "number": ColKVNo}[field]; ok {
			return col
		}
		return ColKVDate
	}
	return ""
}
