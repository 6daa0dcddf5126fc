package report

// Document is a report laid out in the official party-document form
// (HD 36-HD/VPTW): the header (the committee above and the issuing
// committee on the left, a star and the number under them; "ĐẢNG CỘNG SẢN
// VIỆT NAM" and the place-date line on the right), the title, the
// sections, the recipients and the signature.
type Document struct {
	Parent      string // "ĐẢNG BỘ TỈNH ĐẮK LẮK"; "" for none
	Issuer      string // "HUYỆN ỦY KRÔNG PẮC"
	Number      string // "Số      -BC/HU"
	DateLine    string // "Krông Pắc, ngày 04 tháng 5 năm 2024"
	Title       string // "BÁO CÁO"
	Subtitle    string
	Lead        string
	Blocks      []Block
	Recipients  []string
	SignFor     string // "T/M BAN THƯỜNG VỤ"
	SignerTitle string // "PHÓ BÍ THƯ"
	Signer      string // the name; "" leaves the room to sign and write it
}

// Block is a section: a heading, paragraphs, an optional table, charts
// and paragraphs after them. A sub-heading ("1. Kết quả chung") heads a
// part of a section.
type Block struct {
	Heading string
	Sub     bool
	Paras   []string
	Table   *Table
	Charts  []*BarChart
	After   []string
}

// Table is a bordered table; Widths are relative, Align is one letter
// (L, C, R) per column. Total, when set, is a last row in bold.
type Table struct {
	Headers []string
	Widths  []float64
	Align   string
	Rows    [][]string
	Total   []string
}

func (t *Table) align(i int) string {
	if i < len(t.Align) {
		return t.Align[i : i+1]
	}
	return "L"
}
