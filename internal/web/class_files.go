package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/pdf"
	"ketnap/internal/service"
	"ketnap/internal/vn"
	"ketnap/internal/xlsx"
)

// Printable and spreadsheet files of a class: the roster as PDF, the
// roster, results and attendance as Excel, and each certificate as PDF
// (A5, the booklet's page, or A4).

// placeOf is the place name of the date line: "Đảng bộ huyện Krông Pắc" → "Krông Pắc".
func placeOf(orgName string) string {
	for _, p := range []string{"Đảng bộ huyện ", "Đảng bộ thị xã ", "Đảng bộ thành phố ", "Đảng bộ tỉnh ", "Đảng bộ xã ",
		"Đảng bộ phường ", "Đảng bộ thị trấn ", "Đảng bộ đặc khu ", "Đảng bộ "} {
		if strings.HasPrefix(orgName, p) {
			return strings.TrimPrefix(orgName, p)
		}
	}
	return orgName
}

// sendFile writes a generated file as an attachment.
func sendFile(w http.ResponseWriter, name, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, strings.NewReplacer(`"`, "", "/", "-").Replace(name)))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// fileName is a download's name in Vietnamese without diacritics, the
// subject first, then the unit and the year: "tien-do-krongpac-2024.xlsx"
// (vn.FileName).
func fileName(ext string, parts ...string) string { return vn.FileName(ext, parts...) }

func (h *Handler) classFor(r *http.Request) (*service.ClassView, error) {
	id, err := classID(r)
	if err != nil {
		return nil, err
	}
	return h.svc.Class(r.Context(), id)
}

func meanText(l *domain.Learner) string {
	if l.Outcome == domain.OutcomePass || l.Outcome == domain.OutcomeFail {
		return domain.FormatMean(l.Total)
	}
	return ""
}

// classRosterPDF prints the class roster with results (GET /lop-hoc/{id}/danh-sach.pdf?kho=A4|A5).
func (h *Handler) classRosterPDF(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	v, err := h.classFor(r)
	if err != nil {
		return err
	}
	size := pdf.A4
	if r.URL.Query().Get("kho") == pdf.A5 {
		size = pdf.A5
	}
	ro := pdf.Roster{Size: size, Landscape: size == pdf.A5, Parent: v.Org.Name, Issuer: v.Organiser, Title: "DANH SÁCH HỌC VIÊN",
		Lines: []string{v.Name + " (" + v.Code + ")", fmt.Sprintf("Từ ngày %s đến ngày %s, %d buổi, %d tiết", vn.Date(v.StartDate),
			vn.Date(v.EndDate), len(v.Sessions), v.TotalLessons)},
		Place: placeOf(v.Org.Name), Date: h.svc.DefaultAsOf(r.Context()), Signer: "GIÁM ĐỐC"}
	if v.Place != "" {
		ro.Lines = append(ro.Lines, "Địa điểm: "+v.Place)
	}
	ro.Table.Columns = []pdf.Column{{Title: "STT", Width: 12, Align: pdf.Right}, {Title: "Họ và tên", Width: 44, Align: pdf.Left},
		{Title: "Ngày sinh", Width: 21, Align: pdf.Center}, {Title: "Đơn vị", Width: 50, Align: pdf.Left},
		{Title: "Dự học", Width: 17, Align: pdf.Center}, {Title: "Kết quả", Width: 39, Align: pdf.Left}}
	n, passed := 0, 0
	for _, l := range v.Learners {
		if l.Status != domain.EnrolActive {
			continue
		}
		n++
		if l.Outcome == domain.OutcomePass {
			passed++
		}
		att := ""
		if v.TotalLessons > 0 {
			att = fmt.Sprintf("%d/%d", l.Attended, v.TotalLessons)
		}
		ro.Table.Rows = append(ro.Table.Rows, []string{strconv.Itoa(n), l.Name, vn.Date(l.BirthDate), l.OrgName, att,
			service.LearnerLabel(l.Learner)})
	}
	ro.Note = fmt.Sprintf("Danh sách có %d học viên; đạt %d.", n, passed)
	if v.Enrolled > n {
		ro.Note += fmt.Sprintf(" (Trong phạm vi đơn vị của người in; cả lớp có %d học viên.)", v.Enrolled)
	}
	var buf bytes.Buffer
	if err := pdf.WriteRoster(&buf, ro); err != nil {
		return err
	}
	sendFile(w, fileName("pdf", "danh-sach", v.Code), "application/pdf", buf.Bytes())
	return nil
}

// classRosterXLSX exports the roster, the results and the attendance (GET /lop-hoc/{id}/danh-sach.xlsx).
func (h *Handler) classRosterXLSX(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	v, err := h.classFor(r)
	if err != nil {
		return err
	}
	sub := []string{fmt.Sprintf("%s — từ ngày %s đến ngày %s", v.Code, vn.Date(v.StartDate), vn.Date(v.EndDate))}
	roster := xlsx.Sheet{Name: "Danh sách học viên", Title: strings.ToUpper(v.Name), Subtitle: sub,
		Headers: []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị", "Giai đoạn", "Ngày ghi danh", "Tình trạng"},
		Widths:  []float64{6, 28, 12, 9, 40, 24, 13, 12}}
	results := xlsx.Sheet{Name: "Kết quả", Title: "KẾT QUẢ HỌC TẬP — " + strings.ToUpper(v.Name), Subtitle: sub,
		Headers: []string{"STT", "Họ và tên", "Đơn vị", "Số tiết dự", "Điểm GV 1", "Điểm GV 2", "Vắng thi", "Ngày thi lại",
			"Thi lại GV 1", "Thi lại GV 2", "Điểm bình quân", "Kết quả", "Xếp loại", "Số giấy chứng nhận", "Ngày cấp"},
		Widths: []float64{6, 28, 36, 11, 10, 10, 9, 13, 11, 11, 13, 30, 12, 18, 12}}
	att := xlsx.Sheet{Name: "Điểm danh", Title: "ĐIỂM DANH — " + strings.ToUpper(v.Name), Subtitle: sub,
		Headers: []string{"STT", "Họ và tên"}, Widths: []float64{6, 28}}
	for _, s := range v.Sessions {
		att.Headers = append(att.Headers, fmt.Sprintf("%s (%d tiết)", vn.Date(s.Date), s.Lessons))
		att.Widths = append(att.Widths, 14)
	}
	att.Headers = append(att.Headers, "Tổng số tiết")
	num := func(p *int) any {
		if p == nil {
			return nil
		}
		return float64(*p) / 100
	}
	for i, l := range v.Learners {
		status := "Đang học"
		if l.Status == domain.EnrolWithdrawn {
			status = "Thôi học"
		}
		sex := "Nam"
		if l.Sex == domain.Female {
			sex = "Nữ"
		}
		roster.Rows = append(roster.Rows, []any{i + 1, l.Name, l.BirthDate, sex, l.OrgName, domain.StageName(l.Stage), l.EnrolledOn, status})
		row := []any{i + 1, l.Name, l.OrgName, l.Attended, num(l.Score1), num(l.Score2), "", derefDate(l.RetakeDate),
			num(l.Retake1), num(l.Retake2), nil, domain.OutcomeNames[l.Outcome], "", "", nil}
		if l.Absent {
			row[6] = "x"
		}
		if m := meanText(l.Learner); m != "" {
			row[10] = float64(l.Total) / 200
		}
		_, row[12] = domain.GradeOf(l.Total)
		if l.Outcome != domain.OutcomePass {
			row[12] = ""
		}
		if k := v.Certificates[l.ID]; k != nil {
			row[13], row[14] = k.Number, k.Issued
		}
		results.Rows = append(results.Rows, row)
		arow := []any{i + 1, l.Name}
		for _, s := range v.Sessions {
			if n, ok := v.Attendance[l.ID][s.ID]; ok {
				arow = append(arow, n)
			} else {
				arow = append(arow, nil)
			}
		}
		att.Rows = append(att.Rows, append(arow, l.Attended))
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, roster, results, att); err != nil {
		return err
	}
	sendFile(w, fileName("xlsx", "danh-sach", v.Code), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	return nil
}

// certificatePDF prints a certificate (GET /giay-chung-nhan/{id}?kho=A5|A4).
func (h *Handler) certificatePDF(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return domain.Errorf(domain.ENotFound, "Không tìm thấy giấy chứng nhận %q", r.PathValue("id"))
	}
	k, err := h.svc.Certificate(r.Context(), id)
	if err != nil {
		return err
	}
	size := pdf.A5
	if r.URL.Query().Get("kho") == pdf.A4 {
		size = pdf.A4
	}
	prog, _ := domain.ProgrammeOf(k.Programme)
	c := pdf.Certificate{Size: size, Parent: k.Owner.Name, Issuer: k.Class.Organiser, Number: k.Number, Place: placeOf(k.Owner.Name),
		Issued: k.Issued, Name: k.Person.FullName, BirthDate: k.Person.BirthDate, Unit: k.Org.Name, Programme: prog.Name,
		Class: k.Class.Name, From: k.Class.StartDate, To: k.Class.EndDate, Venue: k.Class.Place, Grade: k.Grade, Mean: k.Mean,
		ValidUntil: k.ValidUntil, Form: prog.Form, Signer: "GIÁM ĐỐC"}
	if c.Issuer == "" {
		c.Issuer = "Trung tâm Chính trị"
	}
	var buf bytes.Buffer
	if err := pdf.WriteCertificate(&buf, c); err != nil {
		return err
	}
	sendFile(w, fileName("pdf", "giay-chung-nhan", k.Number), "application/pdf", buf.Bytes())
	return nil
}
