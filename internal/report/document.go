package report

// Document is a report laid out in the official party-document form:
// the header (the issuing committee on the left, "ĐẢNG CỘNG SẢN VIỆT NAM"
// and the place-date line on the right, the number under the committee),
// the title, the sections, the recipients and the signature.
type Document struct {
	Parent     string // "ĐẢNG BỘ HUYỆN KRÔNG PẮC"
	Issuer     string // "BAN THƯỜNG VỤ"
	Number     string // "Số:      -BC/HU"
	DateLine   string // "Krông Pắc, ngày 04 tháng 5 năm 2024"
	Title      string // "BÁO CÁO"
	Subtitle   string
	Lead       string
	Blocks     []Block
	Recipients []string
	SignFor    string // "T/M BAN THƯỜNG VỤ"
	Signer     string
}

// Block is a section: a heading, paragraphs, an optional table, charts
// and paragraphs after them.
type Block struct {
	Heading string
	Paras   []string
	Table   *Table
	Charts  []*BarChart
	After   []string
}

// Table is a bordered table; Widths are relative, Align is one letter
// (L, C, R) per column.
type Table struct {
	Headers []string
	Widths  []float64
	Align   string
	Rows    [][]string
}

func (t *Table) align(i int) string {
	if i < len(t.Align) {
		return t.Align[i : i+1]
	}
	return "L"
}
