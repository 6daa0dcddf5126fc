package importer

import (
	"ketnap/internal/service"
)

// The stage facts of a candidates file: how far each candidate's admission
// procedure went. All optional; the service replays a row with any of them
// through the procedure's steps (service.StageFacts), so the rules judge it
// and the deadlines follow from it.

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
const DefaultAddressee = service.DefaultVerificationAddressee

func factColumns() []column {
	d := func(h, field, note string) column {
		return column{Header: h, Field: field, Date: true, Width: 14, Note: note}
	}
	n := func(h, field, note string) column { return column{Header: h, Field: field, Width: 10, Note: note} }
	member := "Số CCCD hoặc họ và tên của một đảng viên chính thức (tên phải là duy nhất trong chi bộ hoặc đảng bộ cơ sở; trùng tên thì ghi số CCCD)."
	return []column{
		d(ColOpened, "opened_on", "Quá trình (các cột từ đây đều có thể để trống): ngày chi bộ đưa vào danh sách cảm tình Đảng; để trống là ngày sớm nhất ghi ở các cột sau."),
		{Header: ColHardship, Field: "hardship_area", List: "yesno", Width: 10, Note: "Có nếu sống, làm việc ở vùng đặc biệt khó khăn hoặc là ngư dân (ngoại lệ về trình độ học vấn, QĐ294 §1.2)."},
		{Header: ColHelper, Field: "helper", Width: 24, Note: "Đảng viên được phân công giúp đỡ. " + member},
		{Header: ColCertNo, Field: "certificate_no", Text: true, Width: 16, Note: "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng (nếu lớp học đã ghi trong ketnap thì để trống)."},
		d(ColCertDate, "certificate_date", "Ngày cấp giấy chứng nhận; cần cùng với số."),
		d(ColDossier, "dossier_opened", "Ngày lập hồ sơ: đơn xin vào Đảng và lý lịch ghi theo ngày này."),
		d(ColVerifSent, "verification_sent", "Ngày gửi yêu cầu thẩm tra lý lịch; hạn trả lời 30 ngày làm việc."),
		{Header: ColVerifTo, Field: "verification_addressee", Width: 24, Note: "Cấp ủy được đề nghị thẩm tra; để trống là “" + DefaultAddressee + "”."},
		d(ColVerifReply, "verification_replied", "Ngày nhận kết quả thẩm tra; để trống nếu còn chờ."),
		{Header: ColVerifResult, Field: "verification_result", Width: 24, Note: "Tóm tắt kết quả; có thể để trống."},
		d(ColOpinions, "opinions", "Ngày có ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú."),
		d(ColYouthRes, "youth_resolution", "Nếu Đoàn giới thiệu: ngày nghị quyết của Ban Chấp hành Đoàn (khi đó chỉ cần một đảng viên giới thiệu)."),
		{Header: ColIntro1, Field: "introducer_1", Width: 24, Note: member},
		{Header: ColIntro2, Field: "introducer_2", Width: 24, Note: member},
		n(ColMonths, "months_together", "Số tháng người giới thiệu cùng công tác, sinh hoạt với người vào Đảng (ghi số nhỏ nhất nếu hai người khác nhau; cần ít nhất 12)."),
		d(ColCVDate, "chapter.date", "Ngày chi bộ họp xét, biểu quyết đề nghị kết nạp."),
		{Header: ColCVNo, Field: "chapter.number", Text: true, Width: 14, Note: "Ví dụ 05-NQ/CB; có thể để trống."},
		n(ColCVMembers, "chapter.members", "Tổng số đảng viên chính thức của chi bộ."),
		n(ColCVExcluded, "chapter.excluded", "Số đảng viên không tính vào tổng số (giới thiệu sinh hoạt tạm thời, miễn sinh hoạt và vắng mặt, bị đình chỉ, bị truy tố); để trống là 0."),
		n(ColCVPresent, "chapter.present", "Số đảng viên chính thức có mặt."),
		n(ColCVYes, "chapter.yes", "Số tán thành (cần ít nhất 2/3 số đảng viên chính thức được tính)."),
		d(ColKVDate, "committee.date", "Ngày đảng ủy cơ sở họp, biểu quyết (nơi có đảng ủy cơ sở)."),
		{Header: ColKVNo, Field: "committee.number", Text: true, Width: 14, Note: "Ví dụ 12-NQ/ĐU; có thể để trống."},
		n(ColKVMembers, "committee.members", "Tổng số đảng ủy viên."),
		n(ColKVPresent, "committee.present", "Số đảng ủy viên có mặt."),
		n(ColKVYes, "committee.yes", "Số tán thành (cần ít nhất 2/3 số đảng ủy viên)."),
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

// stageFacts reads the stage facts of a candidate's row, nil when it has
// none.
func (im *importer) stageFacts(r dataRow) *service.StageFacts {
	any := false
	for _, c := range factCols {
		if im.get(r, c) != "" {
			any = true
			break
		}
	}
	if !any {
		return nil
	}
	return &service.StageFacts{
		OpenedOn: im.datep(r, ColOpened), HardshipArea: im.yesNo(r, ColHardship), Helper: im.get(r, ColHelper),
		CertificateNo: im.get(r, ColCertNo), CertificateDate: im.datep(r, ColCertDate), DossierOpened: im.datep(r, ColDossier),
		VerificationSent: im.datep(r, ColVerifSent), VerificationAddressee: im.get(r, ColVerifTo),
		VerificationReplied: im.datep(r, ColVerifReply), VerificationResult: im.get(r, ColVerifResult),
		Opinions: im.datep(r, ColOpinions), YouthResolution: im.datep(r, ColYouthRes),
		Introducers: [2]string{im.get(r, ColIntro1), im.get(r, ColIntro2)}, MonthsTogether: im.intp(r, ColMonths),
		Chapter:   im.resolution(r, ColCVDate, ColCVNo, ColCVMembers, ColCVExcluded, ColCVPresent, ColCVYes),
		Committee: im.resolution(r, ColKVDate, ColKVNo, ColKVMembers, "", ColKVPresent, ColKVYes),
	}
}

// resolution reads a resolution's columns (excludedCol "" when the file
// has none for it).
func (im *importer) resolution(r dataRow, dateCol, noCol, membersCol, excludedCol, presentCol, yesCol string) service.Resolution {
	v := service.Resolution{Date: im.datep(r, dateCol), Number: im.get(r, noCol), Members: im.intp(r, membersCol),
		Present: im.intp(r, presentCol), Yes: im.intp(r, yesCol)}
	if excludedCol != "" {
		v.Excluded = im.intp(r, excludedCol)
	}
	return v
}
