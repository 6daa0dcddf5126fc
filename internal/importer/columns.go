// Package importer reads Excel workbooks of organizations, members,
// candidates and targets into ketnap, and writes the templates for them
// (issue 6, item 1). It is a parser: a workbook becomes typed rows
// (service.OrgImportRow, PersonImportRow, TargetImportRow) with their row
// numbers, and the cells it cannot read (not a date, not a number, not in
// a column's list, a formula) are its own problems. Everything else is the
// service's to judge, with its own rules and messages: its problems name a
// row and a field, which the importer puts back on the row and column of
// the file. Every problem is reported with its sheet, row, column header
// and a Vietnamese message; by default nothing is written when any row is
// wrong, and re-importing the same file changes nothing.
package importer

import (
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// Kinds of import.
const (
	KindOrgs       = service.ImportOrgs
	KindMembers    = service.ImportMembers
	KindCandidates = service.ImportCandidates
	KindTargets    = service.ImportTargets
)

// Kinds lists the kinds with their Vietnamese names.
var Kinds = service.ImportKinds

// KindName returns the Vietnamese name of a kind, "" when unknown.
func KindName(kind string) string { return service.ImportKindName(kind) }

// unknownKind is the error for a kind of import that does not exist.
func unknownKind(kind string) error {
	return domain.Errorf(domain.EInvalid, "Loại dữ liệu %q không hợp lệ (orgs, members, candidates hoặc targets)", kind)
}

// Sheet names of a template.
const (
	DataSheet  = "Dữ liệu"
	HelpSheet  = "Hướng dẫn"
	ListsSheet = "Danh mục"
)

// Column headers.
const (
	ColName          = "Họ và tên"
	ColBirth         = "Ngày sinh"
	ColSex           = "Giới tính"
	ColEthnicity     = "Dân tộc"
	ColReligion      = "Tôn giáo"
	ColCCCD          = "Số CCCD"
	ColEducation     = "Trình độ học vấn"
	ColOccupation    = "Nghề nghiệp"
	ColResidence     = "Nơi cư trú"
	ColWorkplace     = "Nơi làm việc"
	ColYouth         = "Đoàn viên"
	ColTradeUnion    = "Công đoàn viên"
	ColOrg           = "Mã tổ chức"
	ColStage         = "Giai đoạn"
	ColDecisionNo    = "Số quyết định kết nạp"
	ColDecision      = "Ngày quyết định kết nạp"
	ColDecidedBy     = "Mã cấp quyết định"
	ColCeremony      = "Ngày lễ kết nạp"
	ColRecognition   = "Ngày công nhận chính thức"
	ColOrgName       = "Tên tổ chức"
	ColOrgKind       = "Loại tổ chức"
	ColSector        = "Khối"
	ColParent        = "Mã tổ chức cấp trên"
	ColFounded       = "Ngày thành lập"
	ColClosed        = "Ngày giải thể"
	ColSuccessor     = "Mã tổ chức kế thừa"
	ColDecider       = "Mã cấp quyết định kết nạp"
	ColAuthorised    = "Đảng ủy cơ sở được ủy quyền kết nạp"
	ColAuthorityFrom = "Cấp quyết định áp dụng từ ngày"
	// ColAuthorityReason: why an authority applies from before today.
	ColAuthorityReason = "Lý do ghi lùi ngày áp dụng"
	ColYouthOrg        = "Có tổ chức Đoàn"
	ColYear            = "Năm"
	ColTargetKind      = "Loại"
	ColValue           = "Số lượng"
	ColDeadline        = "Hạn hoàn thành"
	// BreakdownPrefix starts the headers of a target's breakdown lines ("Trong đó: Nữ").
	BreakdownPrefix = "Trong đó: "
)

// column describes one column of a template.
type column struct {
	Header   string
	Field    string // the field of the service's import row the column fills (its problems name it)
	Required bool
	List     string // the drop-down list's name in the lists sheet, "" for none
	Date     bool
	Text     bool // formatted as text, so that leading zeros stay
	Width    float64
	Note     string
}

func personColumns() []column {
	return []column{
		{Header: ColName, Field: "full_name", Required: true, Width: 28, Note: "Họ, chữ đệm và tên, ví dụ Nguyễn Thị Hồng."},
		{Header: ColBirth, Field: "birth_date", Required: true, Date: true, Width: 14, Note: "Ngày/tháng/năm, ví dụ 04/05/1995 (ô ngày của Excel cũng được)."},
		{Header: ColSex, Field: "sex", Required: true, List: "sex", Width: 10, Note: "Nam hoặc Nữ."},
		{Header: ColEthnicity, Field: "ethnicity", Required: true, List: "ethnicity", Width: 16, Note: "Một trong 54 dân tộc (chọn trong danh sách)."},
		{Header: ColReligion, Field: "religion", List: "religion", Width: 16, Note: "Để trống nếu không theo tôn giáo nào."},
		{Header: ColCCCD, Field: "cccd", Required: true, Text: true, Width: 16, Note: "12 chữ số, giữ nguyên số 0 ở đầu; cột đã định dạng Văn bản. Dùng để nhận ra người khi nhập lại tệp."},
		{Header: ColEducation, Field: "education", Required: true, List: "education", Width: 22, Note: "Chọn trong danh sách."},
		{Header: ColOccupation, Field: "occupation", List: "occupation", Width: 22, Note: "Chọn trong danh sách; để trống là Khác."},
		{Header: ColResidence, Field: "residence", List: "residence", Width: 20, Note: "Mã hoặc tên thôn, buôn, tổ dân phố (chọn trong danh sách); có thể để trống."},
		{Header: ColWorkplace, Field: "workplace", Width: 22, Note: "Cơ quan, trường, doanh nghiệp; có thể để trống."},
		{Header: ColYouth, Field: "youth_union", List: "yesno", Width: 10, Note: "Có hoặc Không."},
		{Header: ColTradeUnion, Field: "trade_union", List: "yesno", Width: 10, Note: "Có hoặc Không."},
		{Header: ColOrg, Field: "org", Required: true, List: "orgs", Text: true, Width: 14, Note: "Mã chi bộ nơi người này sinh hoạt (xem trang Danh mục)."},
	}
}

// columns returns the columns of a kind's template.
func columns(kind string) []column {
	switch kind {
	case KindCandidates:
		cols := append(personColumns(), column{Header: ColStage, Field: "stage", List: "stage", Width: 24,
			Note: "Quần chúng ưu tú hoặc Đang làm hồ sơ kết nạp; để trống là Quần chúng ưu tú. Giai đoạn đi theo hồ sơ kết nạp: Đang làm hồ sơ kết nạp cần ngày lập hồ sơ."})
		return append(cols, factColumns()...)
	case KindMembers:
		return append(personColumns(),
			column{Header: ColDecisionNo, Field: "decision_no", Required: true, Text: true, Width: 18, Note: "Ví dụ 125-QĐ/HU."},
			column{Header: ColDecision, Field: "decision_date", Required: true, Date: true, Width: 14, Note: "Ngày ký quyết định kết nạp."},
			column{Header: ColDecidedBy, Field: "decided_by", List: "orgs", Text: true, Width: 14, Note: "Mã cấp ủy ra quyết định; có thể để trống."},
			column{Header: ColCeremony, Field: "ceremony_date", Date: true, Width: 14, Note: "Có thể để trống."},
			column{Header: ColRecognition, Field: "recognition_date", Date: true, Width: 14, Note: "Để trống nếu còn là đảng viên dự bị."})
	case KindOrgs:
		return []column{
			{Header: ColOrg, Field: "code", Required: true, Text: true, Width: 14, Note: "Mã mới, chữ in hoa, số, dấu gạch ngang."},
			{Header: ColOrgName, Field: "name", Required: true, Width: 36},
			{Header: ColOrgKind, Field: "kind", Required: true, List: "orgkind", Width: 24, Note: "Chọn trong danh sách."},
			{Header: ColSector, Field: "sector", Required: true, List: "sector", Width: 22, Note: "Chọn trong danh sách."},
			{Header: ColParent, Field: "parent", List: "orgs", Text: true, Width: 16, Note: "Mã tổ chức đã có, hoặc của một dòng phía trên trong tệp; chỉ để trống ở tổ chức cấp trên cùng (do quản trị hệ thống tạo)."},
			{Header: ColFounded, Field: "valid_from", Required: true, Date: true, Width: 14, Note: "Ngày/tháng/năm."},
			{Header: ColClosed, Field: "valid_to", Date: true, Width: 14, Note: "Ngày giải thể, sáp nhập, chia tách; để trống nếu còn hoạt động. Nhập lại tệp với ngày này sẽ ghi việc giải thể của tổ chức đã có."},
			{Header: ColSuccessor, Field: "successor", List: "orgs", Text: true, Width: 16, Note: "Mã tổ chức tiếp nhận đảng viên và kết quả kết nạp khi tổ chức này giải thể, sáp nhập (đã có, hoặc có trong tệp)."},
			{Header: ColDecider, Field: "decider", List: "orgs", Text: true, Width: 16, Note: "Mã cấp ủy có thẩm quyền quyết định kết nạp đảng viên cho tổ chức này và các đơn vị trực thuộc: chính nó hoặc một cấp trên. Để trống là theo cây tổ chức (huyện ủy, thị ủy… gần nhất)."},
			{Header: ColAuthorised, Field: "authorised", List: "yesno", Width: 12, Note: "Có nếu cấp quyết định là đảng ủy cơ sở được cấp ủy cấp trên ủy quyền quyết định kết nạp (biểu quyết cần 2/3 số đảng ủy viên)."},
			{Header: ColAuthorityFrom, Field: "authority_from", Date: true, Width: 14, Note: "Ngày cấp quyết định kết nạp ở hai cột trên bắt đầu áp dụng; để trống là từ ngày thành lập (đơn vị mới) hoặc từ hôm nay (đơn vị đã có). Các hồ sơ trước ngày này giữ cấp quyết định cũ. Chỉ cấp ủy cấp trên của đơn vị ghi cấp quyết định của đơn vị; ngày trước hôm nay chỉ quản trị hệ thống ghi được, kèm lý do ở cột “Lý do ghi lùi ngày áp dụng”."},
			{Header: ColYouthOrg, Field: "youth_union", List: "yesno", Width: 12, Note: "Có nếu đơn vị có tổ chức Đoàn TNCS Hồ Chí Minh: đoàn viên trong độ tuổi thanh niên vào Đảng cần nghị quyết giới thiệu của Đoàn và một đảng viên chính thức. Để trống: đơn vị mới theo khối (có với xã, phường, thị trấn, cơ quan, trường học), đơn vị đã có giữ nguyên."},
			{Header: ColAuthorityReason, Field: "authority_reason", Width: 24, Note: "Bắt buộc khi quản trị hệ thống ghi cấp quyết định kết nạp áp dụng từ một ngày đã qua; được lưu vào nhật ký."},
		}
	case KindTargets:
		cols := []column{
			{Header: ColOrg, Field: "org", Required: true, List: "orgs", Text: true, Width: 14},
			{Header: ColYear, Field: "year", Required: true, Width: 8},
			{Header: ColTargetKind, Field: "kind", Required: true, List: "targetkind", Width: 14, Note: "Chỉ tiêu (cấp trên giao) hoặc Kế hoạch (đơn vị tự đặt)."},
			{Header: ColValue, Field: "value", Required: true, Width: 10, Note: "Số người được kết nạp."},
			{Header: ColDeadline, Field: "deadline", Date: true, Width: 14, Note: "Trong năm của chỉ tiêu; có thể để trống."},
		}
		for _, b := range domain.BreakdownKeys {
			cols = append(cols, column{Header: BreakdownPrefix + b.Name, Field: "breakdown." + b.Code, Width: 12,
				Note: "Chỉ tiêu chi tiết (không lớn hơn Số lượng); ô trống là không giao (bỏ chỉ tiêu chi tiết đã ghi). Tệp không có cột này thì giữ nguyên chỉ tiêu chi tiết đã ghi của dòng này."})
		}
		return cols
	}
	return nil
}

// fixed lists: name → values shown in the drop-downs.
func fixedList(name string) []string {
	var out []string
	switch name {
	case "sex":
		return []string{"Nam", "Nữ"}
	case "yesno":
		return []string{"Có", "Không"}
	case "ethnicity":
		for _, e := range vn.Ethnicities() {
			out = append(out, e.Name)
		}
	case "religion":
		for _, r := range vn.Religions() {
			out = append(out, r.Name)
		}
	case "education":
		for _, e := range domain.EducationLevels {
			out = append(out, e.Name)
		}
	case "occupation":
		for _, e := range domain.Occupations {
			out = append(out, e.Name)
		}
	case "stage":
		return []string{domain.StageName(domain.StageSource), domain.StageName(domain.StageCandidate)}
	case "orgkind":
		for _, k := range domain.OrgKinds {
			out = append(out, k.Name)
		}
	case "sector":
		for _, s := range domain.Sectors {
			out = append(out, s.Name)
		}
	case "targetkind":
		for _, k := range targetKindPairs() {
			out = append(out, k.Name)
		}
	}
	return out
}

// key folds a header or a coded value for matching: diacritics, case,
// spaces and a trailing "*" do not matter.
func key(s string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(vn.Fold(s)), "*"))
}

func targetKindPairs() []struct{ Code, Name string } {
	return []struct{ Code, Name string }{{domain.TargetQuota, "Chỉ tiêu"}, {domain.TargetPlan, "Kế hoạch"}}
}

// targetKindName is the name of a target's kind in the list.
func targetKindName(kind string) string {
	for _, k := range targetKindPairs() {
		if k.Code == kind {
			return k.Name
		}
	}
	return kind
}

func sexPairs() []struct{ Code, Name string } {
	return []struct{ Code, Name string }{{domain.Male, "Nam"}, {domain.Female, "Nữ"}}
}

func educationPairs() []struct{ Code, Name string } {
	var out []struct{ Code, Name string }
	for _, e := range domain.EducationLevels {
		out = append(out, struct{ Code, Name string }{e.Code, e.Name})
	}
	// what lists kept in Excel commonly say
	return append(out, []struct{ Code, Name string }{
		{"primary", "Cấp 1"}, {"lower_secondary", "Cấp 2"}, {"upper_secondary", "Cấp 3"},
		{"lower_secondary", "THCS"}, {"upper_secondary", "THPT"}, {"upper_secondary", "12/12"}, {"lower_secondary", "9/12"},
		{"higher", "Trung cấp"}, {"higher", "Cao đẳng"}, {"higher", "Đại học"}, {"higher", "Thạc sĩ"}, {"higher", "Tiến sĩ"},
		{"higher", "Sau đại học"},
	}...)
}

func occupationPairs() []struct{ Code, Name string } {
	var out []struct{ Code, Name string }
	for _, e := range domain.Occupations {
		out = append(out, struct{ Code, Name string }{e.Code, e.Name})
	}
	return out
}

func stagePairs() []struct{ Code, Name string } {
	return []struct{ Code, Name string }{
		{domain.StageSource, domain.StageName(domain.StageSource)},
		{domain.StageCandidate, domain.StageName(domain.StageCandidate)},
		{domain.StageSource, "Quần chúng"},
		{domain.StageSource, "Nguồn"},
		{domain.StageCandidate, "Đang làm hồ sơ"},
	}
}

func kindPairs() []struct{ Code, Name string } {
	var out []struct{ Code, Name string }
	for _, k := range domain.OrgKinds {
		out = append(out, struct{ Code, Name string }{string(k.Kind), k.Name})
	}
	return out
}

func sectorPairs() []struct{ Code, Name string } {
	var out []struct{ Code, Name string }
	for _, s := range domain.Sectors {
		out = append(out, struct{ Code, Name string }{string(s.Sector), s.Name})
	}
	return out
}
