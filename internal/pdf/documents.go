package pdf

import (
	"fmt"
	"io"
	"time"

	"ketnap/internal/vn"
)

// Certificate is what a training certificate shows (QĐ1147 Mẫu 6.1 for the
// awareness class, 6.2 for the new-member class): printed on A5 (the
// booklet's page) or A4, landscape.
type Certificate struct {
	Size       string // A4 or A5
	Parent     string // the committee above the centre: "Đảng bộ huyện Krông Pắc"
	Issuer     string // "Trung tâm Chính trị huyện Krông Pắc"
	Number     string
	Place      string // the place of the date line: "Krông Pắc"
	Issued     time.Time
	Name       string
	BirthDate  time.Time
	Unit       string // the person's party unit
	Programme  string // "Bồi dưỡng nhận thức về Đảng"
	Class      string
	From, To   time.Time
	Venue      string
	Grade      string // "Khá"
	Mean       string // "7,5"
	ValidUntil *time.Time
	Form       string // "Mẫu 6.1 (QĐ1147)"
	Signer     string // "GIÁM ĐỐC"
}

// certLayout is the geometry of a certificate, drawn for A5 and scaled by
// k for A4, in mm.
type certLayout struct {
	k           float64 // the scale: 1 on A5
	m           float64 // the frame's margin
	left, top   float64 // where the text starts
	inner, half float64 // the text's width, and its half
	lh          float64 // the header's line height
	ph          float64 // the page's height
}

// WriteCertificate writes the certificate as a one-page PDF.
func WriteCertificate(w io.Writer, c Certificate) error {
	d, err := New(c.Size, true, "Giấy chứng nhận "+c.Number)
	if err != nil {
		return err
	}
	f := d.f
	pw, ph := f.GetPageSize()
	k := pw / 210 // sizes are drawn for A5 and scaled
	m := 8 * k
	f.SetMargins(m+6*k, m+6*k, m+6*k)
	f.SetAutoPageBreak(false, 0)
	f.AddPage()
	f.SetDrawColor(163, 18, 15)
	f.SetLineWidth(0.8 * k)
	f.Rect(m, m, pw-2*m, ph-2*m, "D")
	f.SetLineWidth(0.25 * k)
	f.Rect(m+1.6*k, m+1.6*k, pw-2*m-3.2*k, ph-2*m-3.2*k, "D")
	f.SetDrawColor(0, 0, 0)
	inner := pw - 2*(m+6*k)
	l := certLayout{k: k, m: m, left: m + 6*k, top: m + 5*k, inner: inner, half: inner / 2, lh: 5.2 * k, ph: ph}
	d.certificateHeader(c, &l)
	d.certificateBody(c, &l)
	d.certificateSignature(c, &l)
	return d.Write(w)
}

// certificateHeader draws the issuing centre, under its parent committee,
// and the number on the left; the Party, underlined, and the place-date
// line on the right.
func (d *Doc) certificateHeader(c Certificate, l *certLayout) {
	f, k := d.f, l.k
	f.SetXY(l.left, l.top)
	d.font(false, 9.5*k)
	d.text(l.half, l.lh, upper(c.Parent), Center)
	f.SetX(l.left)
	d.font(true, 9.5*k)
	d.para(l.half, l.lh, upper(c.Issuer), Center)
	f.SetX(l.left)
	d.font(false, 9.5*k)
	d.text(l.half, l.lh, "Số: "+c.Number, Center)
	f.SetXY(l.left+l.half, l.top)
	d.font(true, 10.5*k)
	d.text(l.half, l.lh, "ĐẢNG CỘNG SẢN VIỆT NAM", Center)
	x0 := l.left + l.half + l.half/2 - 24*k
	f.Line(x0, l.top+l.lh+0.3*k, x0+48*k, l.top+l.lh+0.3*k)
	f.SetXY(l.left+l.half, l.top+l.lh+2*k)
	d.font(false, 9.5*k)
	d.text(l.half, l.lh, vn.LongDate(c.Place, c.Issued), Center)
}

// certificateBody draws the title (red), the programme, the holder's
// lines (a label and its value) and the validity note.
func (d *Doc) certificateBody(c Certificate, l *certLayout) {
	f, k := d.f, l.k
	f.SetXY(l.left, l.top+23*k)
	d.font(true, 17*k)
	f.SetTextColor(163, 18, 15)
	d.text(l.inner, 8*k, "GIẤY CHỨNG NHẬN", Center)
	f.SetTextColor(0, 0, 0)
	d.font(true, 11*k)
	f.SetX(l.left)
	d.para(l.inner, 5.5*k, "Hoàn thành chương trình "+c.Programme, Center)
	f.SetY(f.GetY() + 2*k)
	line := func(label, value string, bold bool) {
		f.SetX(l.left + 10*k)
		d.font(false, 11*k)
		lw := f.GetStringWidth(label) + 1.5*k
		f.CellFormat(lw, 6*k, label, "", 0, Left, false, 0, "")
		d.font(bold, 11*k)
		f.MultiCell(l.inner-20*k-lw, 6*k, value, "", Left, false)
	}
	line("Chứng nhận:", upper(c.Name), true)
	line("Sinh ngày:", vn.Date(c.BirthDate), false)
	if c.Unit != "" {
		line("Đơn vị:", c.Unit, false)
	}
	line("Đã học lớp:", fmt.Sprintf("%s, từ ngày %s đến ngày %s", c.Class, vn.Date(c.From), vn.Date(c.To)), false)
	if c.Venue != "" {
		line("Tại:", c.Venue, false)
	}
	if c.Grade != "" {
		line("Xếp loại:", fmt.Sprintf("%s (điểm bình quân %s)", c.Grade, c.Mean), true)
	}
	if c.ValidUntil != nil {
		f.SetX(l.left + 10*k)
		d.font(false, 9*k)
		d.para(l.inner-20*k, 4.6*k, fmt.Sprintf("Giấy chứng nhận có giá trị đến hết ngày %s nếu chi bộ chưa xem xét, đề nghị kết nạp (HD 06 §5.4b).",
			vn.Date(*c.ValidUntil)), Left)
	}
}

// certificateSignature writes the signer's title on the right and the
// form's reference at the bottom left.
func (d *Doc) certificateSignature(c Certificate, l *certLayout) {
	f, k := d.f, l.k
	f.SetXY(l.left+l.half, l.ph-l.m-27*k)
	d.font(true, 10.5*k)
	d.text(l.half, l.lh, c.Signer, Center)
	f.SetXY(l.left, l.ph-l.m-10*k)
	d.font(false, 7.5*k)
	d.text(l.half, 4*k, c.Form, Left)
}

// Roster is a printable list of a class: the class's header, a table and
// the signature of the issuing centre.
type Roster struct {
	Size      string
	Landscape bool
	Parent    string
	Issuer    string
	Title     string   // "DANH SÁCH HỌC VIÊN"
	Lines     []string // the class, its dates, its place
	Table     Table
	Note      string
	Place     string
	Date      time.Time
	Signer    string
}

// WriteRoster writes the roster; the table's header repeats on each page
// and every page is numbered "Trang n/N".
func WriteRoster(w io.Writer, r Roster) error {
	d, err := New(r.Size, r.Landscape, r.Title)
	if err != nil {
		return err
	}
	f := d.f
	f.SetMargins(15, 12, 12)
	f.SetAutoPageBreak(true, 14)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-11)
		d.font(false, 9)
		d.text(0, 5, fmt.Sprintf("Trang %d/{nb}", f.PageNo()), Center)
	})
	f.AddPage()
	pw, _ := f.GetPageSize()
	inner := pw - 27
	half := inner / 2
	left, top := 15.0, 12.0
	d.font(false, 11)
	d.text(half, 5.5, upper(r.Parent), Center)
	f.SetX(left)
	d.font(true, 11)
	d.para(half, 5.5, upper(r.Issuer), Center)
	f.SetXY(left+half, top)
	d.text(half, 5.5, "ĐẢNG CỘNG SẢN VIỆT NAM", Center)
	f.SetXY(left+half, top+7)
	d.font(false, 11)
	d.text(half, 5.5, vn.LongDate(r.Place, r.Date), Center)
	f.SetXY(left, top+22)
	d.font(true, 14)
	d.text(inner, 7, r.Title, Center)
	d.font(false, 11)
	for _, l := range r.Lines {
		f.SetX(left)
		d.para(inner, 5.5, l, Center)
	}
	f.Ln(3)
	f.SetX(left)
	d.table(r.Table, 10)
	if r.Note != "" {
		f.Ln(2)
		f.SetX(left)
		d.font(false, 10)
		d.para(inner, 5, r.Note, Left)
	}
	f.Ln(4)
	f.SetX(left + half)
	d.font(true, 11)
	d.text(half, 5.5, r.Signer, Center)
	return d.Write(w)
}
