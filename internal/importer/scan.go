package importer

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/vn"
)

// A worksheet or a shared-strings table is walked once, byte by byte and
// without building its XML, before excelize reads it (issue 13, item 1):
// excelize's XML decoder holds a whole text or a whole cell in memory, so
// one cell of 900 MB, which a 1 MB archive unzips to, would take 900 MB and
// more. The walk refuses any tag, text, comment or cell longer than
// maxRawCell and a table of more than maxSharedItems strings. On the data
// sheet it also notes the cells that hold a formula, which excelize's row
// iterator does not tell (and excelize's GetCellFormula loads the whole
// sheet).

// errWalk is a part that breaks a limit; its problem says which.
type errWalk struct{ p Problem }

func (e *errWalk) Error() string { return e.p.Message }

// walker is told the tags of a part as the walk meets them: name without
// its prefix, the raw attributes, whether the tag closes itself (no end
// follows), and the offset of its '<' in the part. text gets character data (and CDATA, with
// its markers) in pieces, and only inside an element a walker asked for.
type walker interface {
	start(name string, attrs []byte, self bool, off int64) error
	end(name string, off int64) error
	text(b []byte, off int64) error
	wantsText() bool
}

// walkXML walks r, refusing any token longer than maxRawCell with tooLong.
func walkXML(r io.Reader, w walker, tooLong func(off int64) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var off int64
	var tag []byte
	for {
		// character data up to the next '<'
		run := 0
		for {
			b, err := br.ReadSlice('<')
			n := len(b)
			if err == nil {
				n-- // the '<'
			}
			run += n
			if run > maxRawCell {
				return tooLong(off)
			}
			if n > 0 && w.wantsText() {
				if terr := w.text(b[:n], off); terr != nil {
					return terr
				}
			}
			off += int64(n)
			if err == nil {
				break
			}
			if err == io.EOF {
				return nil
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				return err
			}
		}
		// markup from '<' (already read) to its end
		at := off
		off++
		tag = append(tag[:0], '<')
		peek, err := br.Peek(1)
		if err != nil {
			return nil // a lone '<' at the end: excelize will say what is wrong
		}
		first := peek[0]
		var closer string
		switch first {
		case '?':
			closer = "?>"
		case '!':
			p, _ := br.Peek(8)
			switch {
			case bytes.HasPrefix(p, []byte("!--")):
				closer = "-->"
			case bytes.HasPrefix(p, []byte("![CDATA[")):
				closer = "]]>"
			}
		}
		quote := byte(0)
		depth := 0 // brackets of a DOCTYPE
		for done := false; !done; {
			b, err := br.ReadSlice('>')
			tag = append(tag, b...)
			off += int64(len(b))
			if len(tag) > maxRawCell {
				return tooLong(at)
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil {
				return nil // cut short: excelize will say what is wrong
			}
			switch {
			case closer != "":
				done = bytes.HasSuffix(tag, []byte(closer)) && len(tag) >= len(closer)+2
			default:
				// a '>' inside a quoted attribute value does not end the tag
				for _, c := range b {
					switch {
					case quote != 0:
						if c == quote {
							quote = 0
						}
					case c == '"' || c == '\'':
						quote = c
					case c == '[' && first == '!':
						depth++
					case c == ']' && first == '!':
						depth--
					}
				}
				done = quote == 0 && depth <= 0
			}
		}
		if closer == "]]>" && w.wantsText() {
			if err := w.text(tag, at); err != nil {
				return err
			}
		}
		if closer != "" || first == '!' {
			continue
		}
		body := tag[1 : len(tag)-1]
		if len(body) > 0 && body[0] == '/' {
			if err := w.end(localName(body[1:]), at); err != nil {
				return err
			}
			continue
		}
		self := len(body) > 0 && body[len(body)-1] == '/'
		if self {
			body = body[:len(body)-1]
		}
		name, attrs := splitTag(body)
		if err := w.start(name, attrs, self, at); err != nil {
			return err
		}
	}
}

// splitTag splits the inside of a start tag into its local name and the
// rest (the attributes).
func splitTag(body []byte) (string, []byte) {
	i := bytes.IndexAny(body, " \t\r\n")
	if i < 0 {
		return localName(body), nil
	}
	return localName(body[:i]), body[i:]
}

func localName(b []byte) string {
	b = bytes.TrimSpace(b)
	if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		b = b[i+1:]
	}
	switch string(b) { // the names the walkers look for, without an allocation
	case "c":
		return "c"
	case "row":
		return "row"
	case "f":
		return "f"
	case "si":
		return "si"
	}
	return string(b)
}

// attr returns the value of the attribute named name (without prefix) in
// raw attributes, "" when absent. Values are the simple ones a cell's
// reference, type or group are: entities are not decoded.
func attr(attrs []byte, name string) string {
	for len(attrs) > 0 {
		attrs = bytes.TrimLeft(attrs, " \t\r\n")
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return ""
		}
		key := bytes.TrimSpace(attrs[:eq])
		if i := bytes.LastIndexByte(key, ':'); i >= 0 {
			key = key[i+1:]
		}
		rest := bytes.TrimLeft(attrs[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return ""
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return ""
		}
		if string(key) == name {
			return string(rest[1 : 1+end])
		}
		attrs = rest[end+2:]
	}
	return ""
}

// formulaCell is a cell of the data sheet that holds a formula: where, and
// the formula as the cell's own element gives it (a shared formula's other
// cells give only their group, si).
type formulaCell struct {
	row, col int
	text     string
	shared   string // the group of a shared formula
	master   bool   // the group's first cell, whose text the others shift
}

// maxFormulaCells is how many formula cells the walk notes (the others are
// counted): enough for MaxProblems of them in rows that are not blank.
const maxFormulaCells = 4 * MaxProblems

// maxFormulaText is how much of a formula's text the walk keeps.
const maxFormulaText = 4 << 10

// sheetWalk walks the data sheet: every cell within maxRawCell, and the
// formula cells noted with their coordinates as excelize's row iterator
// numbers them (a row or a cell without its reference follows the one
// before).
type sheetWalk struct {
	sheet    string
	row, col int
	cellAt   int64 // offset of the open cell's '<', -1 outside a cell
	depth    int   // elements open inside the cell
	inF      bool
	fText    []byte
	fCell    formulaCell
	formulas []formulaCell
	more     int // formula cells past maxFormulaCells
	valued   int // rows with a cell that has a value
	lastRow  int // the last of them
}

func (s *sheetWalk) cellRef() string {
	ref, _ := excelize.CoordinatesToCellName(max(s.col, 1), max(s.row, 1))
	return ref
}

func (s *sheetWalk) tooLong(off int64) error {
	msg := "Tệp có một ô dài hơn " + strconv.Itoa(MaxCellBytes>>10) + " KB (giới hạn của một ô): hãy rút ngắn nội dung ô rồi nhập lại"
	if s.cellAt >= 0 {
		msg = "Ô " + s.cellRef() + " dài hơn " + strconv.Itoa(MaxCellBytes>>10) + " KB (giới hạn của một ô): hãy rút ngắn nội dung ô rồi nhập lại"
	}
	p := Problem{Sheet: s.sheet, Message: msg}
	if s.cellAt >= 0 {
		p.Row = s.row
	}
	return &errWalk{p}
}

func (s *sheetWalk) check(off int64) error {
	if s.cellAt >= 0 && off-s.cellAt > maxRawCell {
		return s.tooLong(off)
	}
	return nil
}

func (s *sheetWalk) start(name string, attrs []byte, self bool, off int64) error {
	if s.cellAt >= 0 {
		if err := s.check(off); err != nil {
			return err
		}
		if !self {
			s.depth++
		}
		switch {
		case name == "f" && s.depth <= 1:
			s.formula(attrs, self)
		case (name == "v" || name == "is") && s.lastRow != s.row:
			s.lastRow = s.row
			s.valued++
		}
		return nil
	}
	switch name {
	case "row":
		s.col = 0
		if n, err := strconv.Atoi(attr(attrs, "r")); err == nil && n != 0 {
			s.row = n
		} else {
			s.row++
		}
	case "c":
		s.col++
		if r := attr(attrs, "r"); r != "" {
			if col, _, err := excelize.CellNameToCoordinates(r); err == nil {
				s.col = col
			}
		}
		if !self {
			s.cellAt, s.depth = off, 0
		}
	}
	return nil
}

// formula notes the formula of the open cell: its text follows unless the
// tag closes itself (a shared formula's other cells).
func (s *sheetWalk) formula(attrs []byte, self bool) {
	s.fCell = formulaCell{row: s.row, col: s.col}
	if attr(attrs, "t") == "shared" {
		s.fCell.shared = attr(attrs, "si")
		s.fCell.master = attr(attrs, "ref") != ""
	}
	s.fText = s.fText[:0]
	s.inF = !self
	if self {
		s.note()
	}
}

func (s *sheetWalk) note() {
	if len(s.formulas) >= maxFormulaCells {
		s.more++
		return
	}
	s.fCell.text = xmlText(s.fText)
	s.formulas = append(s.formulas, s.fCell)
}

func (s *sheetWalk) end(name string, off int64) error {
	if s.cellAt < 0 {
		return nil
	}
	if err := s.check(off); err != nil {
		return err
	}
	if s.depth == 0 { // the cell's own end
		s.cellAt = -1
		return nil
	}
	s.depth--
	if name == "f" && s.inF && s.depth == 0 {
		s.inF = false
		s.note()
	}
	return nil
}

func (s *sheetWalk) text(b []byte, off int64) error {
	if err := s.check(off + int64(len(b))); err != nil {
		return err
	}
	if s.inF && len(s.fText) < maxFormulaText {
		s.fText = append(s.fText, b[:min(len(b), maxFormulaText-len(s.fText))]...)
	}
	return nil
}

func (s *sheetWalk) wantsText() bool { return s.cellAt >= 0 }

// texts returns each noted formula's text, a shared formula's other cells
// given their group's formula shifted to them (as Excel shows it), sorted
// by row and column.
func (s *sheetWalk) texts() []formulaCell {
	masters := map[string]formulaCell{}
	for _, f := range s.formulas {
		if f.master {
			if _, ok := masters[f.shared]; !ok {
				masters[f.shared] = f
			}
		}
	}
	out := slices.Clone(s.formulas)
	for i, f := range out {
		if f.shared != "" && !f.master {
			if m, ok := masters[f.shared]; ok {
				out[i].text = shiftFormula(m.text, f.col-m.col, f.row-m.row)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b formulaCell) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return a.col - b.col
	})
	return out
}

// xmlText decodes the entities of raw character data (and unwraps CDATA).
func xmlText(raw []byte) string {
	if bytes.IndexByte(raw, '&') < 0 && !bytes.Contains(raw, []byte("<![CDATA[")) {
		return string(raw)
	}
	var b strings.Builder
	for len(raw) > 0 {
		if bytes.HasPrefix(raw, []byte("<![CDATA[")) {
			end := bytes.Index(raw, []byte("]]>"))
			if end < 0 {
				b.Write(raw[9:])
				break
			}
			b.Write(raw[9:end])
			raw = raw[end+3:]
			continue
		}
		if raw[0] != '&' {
			b.WriteByte(raw[0])
			raw = raw[1:]
			continue
		}
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 || semi > 10 {
			b.WriteByte('&')
			raw = raw[1:]
			continue
		}
		ent := string(raw[1:semi])
		switch {
		case ent == "lt":
			b.WriteByte('<')
		case ent == "gt":
			b.WriteByte('>')
		case ent == "amp":
			b.WriteByte('&')
		case ent == "quot":
			b.WriteByte('"')
		case ent == "apos":
			b.WriteByte('\'')
		case strings.HasPrefix(ent, "#x"):
			if n, err := strconv.ParseUint(ent[2:], 16, 32); err == nil {
				b.WriteRune(rune(n))
			}
		case strings.HasPrefix(ent, "#"):
			if n, err := strconv.ParseUint(ent[1:], 10, 32); err == nil {
				b.WriteRune(rune(n))
			}
		default:
			b.Write(raw[:semi+1])
		}
		raw = raw[semi+1:]
	}
	return b.String()
}

// sharedWalk walks the shared-strings table: every string within
// maxRawCell, at most maxSharedItems of them.
type sharedWalk struct {
	items int
	siAt  int64 // offset of the open string's '<', -1 outside one
}

func (s *sharedWalk) tooLong(int64) error {
	return &errWalk{Problem{Message: "Tệp có một ô chữ dài hơn " + strconv.Itoa(MaxCellBytes>>10) + " KB (giới hạn của một ô): hãy rút ngắn nội dung ô rồi nhập lại"}}
}

func (s *sharedWalk) start(name string, _ []byte, self bool, off int64) error {
	if s.siAt >= 0 && off-s.siAt > maxRawCell {
		return s.tooLong(off)
	}
	if name == "si" && s.siAt < 0 {
		s.items++
		if s.items > maxSharedItems {
			return &errWalk{Problem{Message: "Bảng chữ dùng chung của tệp (xl/sharedStrings.xml) có hơn " + vn.Int(maxSharedItems) + " chuỗi: quá lớn để nhập. Hãy chia dữ liệu thành nhiều tệp nhỏ hơn"}}
		}
		if !self {
			s.siAt = off
		}
	}
	return nil
}

func (s *sharedWalk) end(name string, off int64) error {
	if s.siAt >= 0 && off-s.siAt > maxRawCell {
		return s.tooLong(off)
	}
	if name == "si" {
		s.siAt = -1
	}
	return nil
}

func (s *sharedWalk) text(b []byte, off int64) error {
	if s.siAt >= 0 && off+int64(len(b))-s.siAt > maxRawCell {
		return s.tooLong(off)
	}
	return nil
}

func (s *sharedWalk) wantsText() bool { return s.siAt >= 0 }
