package importer

import (
	"strings"

	"ketnap/internal/vn"
)

// Headers as offices write them (issue 14, item 1). A district's list is
// rarely on ketnap's template: a title block above the header, a "STT"
// column, a numbering row "(1) (2) …" under it, and headers in the
// wording of the forms the office has always used. The reader finds the
// header among the first headerRows rows (the first that holds the
// required columns of the kind), skips the numbering row and the STT
// column, and matches each header to a column of the template through
// headKey and the synonyms below.

// headerRows is how far down a sheet the header is looked for.
const headerRows = 20

// headKey folds a header for matching: case, diacritics, spacing, line
// breaks, a required mark "(*)" or "*", a note in brackets and
// punctuation (",", ".", ":", "/", "-") do not matter: "Họ và tên (*)",
// "HỌ VÀ TÊN" and "Họ và\ntên" are one header, as are "Ngày, tháng, năm
// sinh" and "Ngày tháng năm sinh".
func headKey(s string) string {
	s = vn.Fold(s)
	var b strings.Builder
	b.Grow(len(s))
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[':
			depth++
			b.WriteByte(' ')
		case ')', ']':
			if depth > 0 {
				depth--
			}
			b.WriteByte(' ')
		case ',', '.', ';', ':', '/', '\\', '-', '–', '—', '*', '_', '"', '\'', '“', '”':
			b.WriteByte(' ')
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// headerSynonyms are the wordings offices give the template's columns,
// by the template's header. Each is matched with headKey, so that case,
// marks, "(*)", punctuation and spacing need not be listed.
var headerSynonyms = map[string][]string{
	ColName: {"Họ tên", "Họ, tên", "Họ và tên khai sinh", "Họ tên khai sinh", "Họ và tên đảng viên",
		"Họ và tên quần chúng", "Họ và tên người vào Đảng", "Tên"},
	ColBirth: {"Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Ngày/tháng/năm sinh", "Sinh ngày", "Ngày sinh (dd/mm/yyyy)",
		"Ngày sinh (ngày/tháng/năm)", "NTNS", "Ngày, tháng, năm, sinh"},
	ColSex:       {"Giới", "Nam/Nữ", "Nam, nữ", "Phái"},
	ColEthnicity: {"Dân tộc (ghi theo CCCD)", "Thành phần dân tộc"},
	ColReligion:  {"Tôn giáo (nếu có)", "Tín ngưỡng, tôn giáo", "Tôn giáo, tín ngưỡng"},
	ColCCCD: {"Số CCCD/CMND", "Số CMND/CCCD", "CCCD/CMND", "CMND/CCCD", "CCCD", "Số căn cước công dân", "Căn cước công dân",
		"Số căn cước", "Căn cước", "Số định danh cá nhân", "Số định danh", "Mã định danh", "Số CMND", "CMND"},
	ColEducation: {"Trình độ văn hóa", "Trình độ văn hoá", "Văn hóa", "Văn hoá", "Học vấn", "Trình độ giáo dục phổ thông",
		"Giáo dục phổ thông", "Trình độ GDPT", "GDPT", "Trình độ học vấn phổ thông", "Trình độ"},
	ColOccupation: {"Nghề nghiệp hiện nay", "Nghề nghiệp hiện tại", "Công việc", "Công việc hiện nay", "Nghề"},
	ColResidence: {"Nơi ở hiện nay", "Nơi ở hiện tại", "Nơi ở", "Chỗ ở hiện nay", "Nơi cư trú hiện nay", "Nơi thường trú",
		"Thôn, buôn, tổ dân phố", "Thôn/buôn/TDP", "Thôn, buôn", "Thôn, tổ dân phố", "Thôn/Buôn", "Thôn", "Cư trú tại thôn, buôn"},
	ColWorkplace: {"Đơn vị công tác", "Cơ quan công tác", "Nơi công tác", "Cơ quan, đơn vị công tác", "Đơn vị, cơ quan công tác",
		"Cơ quan/đơn vị công tác", "Nơi làm việc hiện nay", "Cơ quan, đơn vị", "Chức vụ, đơn vị công tác"},
	ColYouth:      {"Đoàn viên TNCS Hồ Chí Minh", "Đoàn viên TNCS HCM", "Là đoàn viên", "Đoàn viên thanh niên", "ĐVTN", "Đoàn viên Đoàn TNCS Hồ Chí Minh"},
	ColTradeUnion: {"Đoàn viên công đoàn", "Là công đoàn viên", "Công đoàn"},
	ColOrg:        {"Mã chi bộ", "Mã đơn vị", "Mã tổ chức đảng", "Mã TCĐ", "Mã chi, đảng bộ", "Mã chi bộ, đảng bộ"},
	ColStage:      {"Giai đoạn hiện nay", "Giai đoạn phát triển"},
	ColDecisionNo: {"Số QĐ kết nạp", "Số quyết định", "Số QĐ", "Quyết định kết nạp số", "QĐ kết nạp số", "Số quyết định kết nạp đảng viên"},
	ColDecision: {"Ngày QĐ kết nạp", "Ngày ký quyết định kết nạp", "Ngày quyết định", "Ngày QĐ", "Ngày kết nạp",
		"Ngày kết nạp Đảng", "Ngày vào Đảng", "Ngày, tháng, năm vào Đảng", "Ngày tháng năm vào Đảng", "Ngày, tháng, năm kết nạp"},
	ColDecidedBy: {"Mã cấp ra quyết định", "Mã cấp ủy ra quyết định", "Mã cấp ủy quyết định"},
	ColCeremony:  {"Ngày tổ chức lễ kết nạp", "Ngày lễ kết nạp Đảng", "Lễ kết nạp ngày"},
	ColRecognition: {"Ngày chính thức", "Ngày công nhận đảng viên chính thức", "Ngày được công nhận chính thức",
		"Ngày công nhận", "Ngày, tháng, năm chính thức", "Ngày tháng năm chính thức", "Ngày chuyển chính thức"},
	ColOrgName: {"Tên tổ chức đảng", "Tên đơn vị", "Tên chi bộ, đảng bộ", "Tên chi bộ/đảng bộ", "Tên TCĐ", "Tên tổ chức cơ sở đảng"},
	ColOrgKind: {"Loại hình tổ chức", "Loại hình tổ chức đảng", "Loại hình", "Loại tổ chức đảng"},
	ColSector:  {"Khối, loại hình", "Thuộc khối", "Loại hình cơ sở"},
	ColParent: {"Mã cấp trên", "Mã đơn vị cấp trên", "Mã tổ chức đảng cấp trên", "Mã cấp ủy cấp trên", "Mã đảng bộ cấp trên",
		"Trực thuộc (mã)", "Mã trực thuộc"},
	ColFounded:   {"Ngày thành lập tổ chức", "Thành lập ngày", "Ngày, tháng, năm thành lập", "Ngày tháng năm thành lập", "Ngày quyết định thành lập"},
	ColClosed:    {"Ngày giải thể, sáp nhập", "Ngày giải thể/sáp nhập", "Ngày giải thể hoặc sáp nhập", "Ngày ngừng hoạt động", "Ngày thôi hoạt động"},
	ColSuccessor: {"Mã đơn vị kế thừa", "Mã tổ chức tiếp nhận", "Mã đơn vị tiếp nhận", "Mã đơn vị nhận sáp nhập"},
	ColDecider:   {"Mã cấp có thẩm quyền kết nạp", "Mã cấp ủy quyết định kết nạp", "Cấp quyết định kết nạp (mã)"},
	ColYear:      {"Năm giao", "Năm kế hoạch", "Năm giao chỉ tiêu"},
	ColValue:     {"Số lượng kết nạp", "Số lượng giao", "Số đảng viên kết nạp", "Số đảng viên mới", "Số lượng chỉ tiêu"},
	ColDeadline:  {"Thời hạn", "Thời hạn hoàn thành", "Hạn", "Hoàn thành trước ngày"},
	// the stage facts of a candidates file
	ColOpened:   {"Ngày đưa vào danh sách cảm tình Đảng", "Ngày vào danh sách quần chúng ưu tú", "Ngày đưa vào nguồn"},
	ColHelper:   {"Đảng viên được phân công giúp đỡ", "Người giúp đỡ", "Đảng viên giúp đỡ (CCCD hoặc họ tên)"},
	ColCertNo:   {"Số giấy chứng nhận", "Số giấy chứng nhận học lớp nhận thức về Đảng", "Số GCN lớp nhận thức"},
	ColCertDate: {"Ngày cấp giấy chứng nhận lớp nhận thức", "Ngày cấp GCN", "Ngày cấp chứng nhận"},
	ColDossier:  {"Ngày lập hồ sơ kết nạp", "Ngày làm hồ sơ", "Ngày lập hồ sơ vào Đảng"},
	ColCVDate:   {"Ngày chi bộ xét", "Ngày chi bộ họp xét", "Ngày nghị quyết đề nghị kết nạp của chi bộ"},
	ColKVDate:   {"Ngày đảng ủy xét", "Ngày đảng ủy cơ sở xét", "Ngày nghị quyết của đảng ủy cơ sở"},
}

// sttHeaders are the headers of a running-number column: skipped, and a
// row with nothing but its number is blank.
var sttHeaders = map[string]bool{"stt": true, "tt": true, "so tt": true, "so thu tu": true, "thu tu": true}

// synonymOf maps the headKey of a synonym to the headKey of the template's
// header.
var synonymOf = func() map[string]string {
	out := map[string]string{}
	for canon, alts := range headerSynonyms {
		for _, a := range alts {
			if k := headKey(a); k != headKey(canon) {
				out[k] = headKey(canon)
			}
		}
	}
	return out
}()

// numbering reports whether cells are a numbering row under a header:
// "(1) (2) (3) …" or "1 2 3 …", at least two numbers, increasing.
func numbering(cells []string) bool {
	n, last := 0, 0
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		c = strings.TrimSuffix(strings.TrimPrefix(c, "("), ")")
		c = strings.TrimSuffix(c, ".0") // a number cell read raw
		v := 0
		if c == "" || len(c) > 3 {
			return false
		}
		for i := 0; i < len(c); i++ {
			if c[i] < '0' || c[i] > '9' {
				return false
			}
			v = v*10 + int(c[i]-'0')
		}
		if v <= last {
			return false
		}
		last = v
		n++
	}
	return n >= 2
}
