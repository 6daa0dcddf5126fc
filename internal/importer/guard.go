package importer

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"

	"ketnap/internal/vn"
)

// archive is an upload checked as an xlsx workbook from its directory,
// before excelize unzips anything: what it holds, where its data sheet and
// its shared strings are.
type archive struct {
	zr    *zip.Reader
	parts map[string]*zip.File // by the name excelize gives the part
	// sheets maps each worksheet's name to its part, in the workbook's order.
	sheets     []sheetPart
	sharedPath string // the shared-strings table's part, "" when there is none
	date1904   bool
}

type sheetPart struct{ name, part string }

// The shared-strings table excelize reads, whatever the case of its name.
const sharedStringsPart = "xl/sharedStrings.xml"

// openArchive refuses what is not an xlsx workbook (empty, too large, a
// PDF, an old .xls, a broken archive) and any archive that would unzip
// past the limits: too many files, a worksheet or a shared-strings table
// larger than its bound, too much kept in memory. Nothing is unzipped but
// the small parts that say which sheets the workbook has.
func openArchive(data []byte) (*archive, []Problem) {
	if len(data) == 0 {
		return nil, fileProblem("Tệp rỗng (0 byte): hãy chọn tệp Excel .xlsx đã điền dữ liệu")
	}
	if len(data) > MaxSize {
		return nil, tooLarge()
	}
	switch {
	case bytes.HasPrefix(data, []byte("%PDF")):
		return nil, fileProblem(notXLSX, "đây là tệp PDF")
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fileProblem(notXLSX, "đây là tệp Excel 97–2003 .xls hoặc tệp Office cũ")
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, fileProblem(notXLSX, "nội dung không phải tệp Office Open XML")
	}
	if n, ok := zipEntries(data); ok && n > maxEntries {
		return nil, tooManyEntries(n)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fileProblem(notXLSX, "tệp nén bị hỏng")
	}
	if len(zr.File) > maxEntries {
		return nil, tooManyEntries(uint64(len(zr.File)))
	}
	a := &archive{zr: zr, parts: make(map[string]*zip.File, len(zr.File))}
	var total, inMemory uint64
	hasWorkbook := false
	for _, zf := range zr.File {
		name := partName(zf)
		if name == sharedStringsPart {
			a.sharedPath = name
		}
		a.parts[name] = zf
		hasWorkbook = hasWorkbook || zf.Name == "xl/workbook.xml"
		size := zf.UncompressedSize64
		total += size
		if !(isWorksheet(name) || name == sharedStringsPart) || size <= inMemoryXML {
			inMemory += size
		}
	}
	if !hasWorkbook {
		return nil, fileProblem(notXLSX, "tệp nén không chứa bảng tính")
	}
	if inMemory > maxInMemory {
		return nil, fileProblem("Tệp chứa hơn %d MB nội dung ngoài các trang tính (hình ảnh, định dạng, …) khi giải nén: hãy sao chép riêng bảng dữ liệu cần nhập sang một tệp Excel mới",
			maxInMemory>>20)
	}
	if probs := a.readWorkbook(); probs != nil {
		return nil, probs
	}
	for _, zf := range zr.File {
		name := partName(zf)
		switch {
		case isWorksheet(name) && zf.UncompressedSize64 > maxSheetXML:
			return nil, fileProblem("Trang tính “%s” khi giải nén lớn hơn %d MB (khai báo %s MB): quá lớn để nhập. Hãy chia dữ liệu thành nhiều tệp, mỗi tệp tối đa %s dòng",
				a.sheetName(name), maxSheetXML>>20, vn.Int(int(zf.UncompressedSize64>>20)), vn.Int(MaxRows))
		case name == sharedStringsPart && zf.UncompressedSize64 > maxSharedStrings:
			return nil, fileProblem("Bảng chữ dùng chung của tệp (xl/sharedStrings.xml) khi giải nén lớn hơn %d MB (khai báo %s MB): quá lớn để nhập. Hãy chia dữ liệu thành nhiều tệp nhỏ hơn",
				maxSharedStrings>>20, vn.Int(int(zf.UncompressedSize64>>20)))
		}
	}
	if total > maxUnzipped {
		return nil, fileProblem("Tệp khi giải nén lớn hơn %s MB (khai báo %s MB): không phải một bảng tính nhập liệu thông thường. Hãy chia dữ liệu thành nhiều tệp nhỏ hơn",
			vn.Int(maxUnzipped>>20), vn.Int(int(total>>20)))
	}
	return a, nil
}

func tooManyEntries(n uint64) []Problem {
	return fileProblem(notXLSX, fmt.Sprintf("tệp nén chứa %s tệp con, quá %s", vn.Int(int(min(n, 1<<40))), vn.Int(maxEntries)))
}

// partName is the name excelize gives a file of the archive.
func partName(zf *zip.File) string {
	name := strings.ReplaceAll(zf.Name, "\\", "/")
	if strings.EqualFold(name, sharedStringsPart) {
		return sharedStringsPart
	}
	return name
}

// isWorksheet reports whether excelize takes the part for a worksheet
// (and unzips it to a temporary file when it is large).
func isWorksheet(name string) bool {
	return strings.HasPrefix(strings.ToLower(name), "xl/worksheets/sheet")
}

// sheetName is the workbook's name for the worksheet part, or the part.
func (a *archive) sheetName(part string) string {
	for _, s := range a.sheets {
		if s.part == part {
			return s.name
		}
	}
	return part
}

// sheetPart is the part of the sheet named name, "" when there is none.
func (a *archive) sheetPart(name string) string {
	for _, s := range a.sheets {
		if s.name == name {
			return s.part
		}
	}
	return ""
}

// zipEntries reads the number of files the archive's end record declares,
// without reading its directory (which zip.NewReader does, an allocation
// for each file).
func zipEntries(data []byte) (uint64, bool) {
	const eocdLen, zip64LocLen = 22, 20
	if len(data) < eocdLen {
		return 0, false
	}
	lo := max(0, len(data)-eocdLen-0xFFFF)
	i := bytes.LastIndex(data[lo:], []byte("PK\x05\x06"))
	if i < 0 || lo+i+eocdLen > len(data) {
		return 0, false
	}
	i += lo
	n := uint64(binary.LittleEndian.Uint16(data[i+10:]))
	if n != 0xFFFF || i < zip64LocLen || !bytes.HasPrefix(data[i-zip64LocLen:], []byte("PK\x06\x07")) {
		return n, true
	}
	off := binary.LittleEndian.Uint64(data[i-zip64LocLen+8:])
	if off > uint64(len(data)) || uint64(len(data))-off < 56 || !bytes.HasPrefix(data[off:], []byte("PK\x06\x06")) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(data[off+32:]), true
}

// readWorkbook reads which sheets the workbook has and where, as excelize
// finds them (the office document's relationship, then the workbook's), and
// whether its dates count from 1904.
func (a *archive) readWorkbook() []Problem {
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	wbPath := "xl/workbook.xml"
	if a.decode("_rels/.rels", &rels) {
		for _, r := range rels.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPath = strings.TrimPrefix(r.Target, "/")
				break
			}
		}
	}
	var wb struct {
		Pr struct {
			Date1904 bool `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"` // r:id, in either namespace (transitional or strict)
		} `xml:"sheets>sheet"`
	}
	if !a.decode(wbPath, &wb) {
		return fileProblem(notXLSX, "không đọc được danh sách trang tính")
	}
	a.date1904 = wb.Pr.Date1904
	dir := path.Dir(wbPath)
	relsPath := strings.TrimPrefix(dir+"/_rels/"+path.Base(wbPath)+".rels", "./")
	rels.Rel = nil
	a.decode(relsPath, &rels)
	for _, s := range wb.Sheets {
		sp := sheetPart{name: s.Name}
		for _, r := range rels.Rel {
			if r.ID == s.ID {
				if strings.HasPrefix(r.Target, "/") {
					sp.part = strings.TrimPrefix(path.Clean(r.Target), "/")
				} else {
					sp.part = strings.TrimPrefix(path.Clean(dir+"/"+r.Target), "/")
				}
			}
		}
		a.sheets = append(a.sheets, sp)
	}
	return nil
}

// decode unmarshals a small part (the in-memory bound holds) into v,
// reporting whether the part exists and reads.
func (a *archive) decode(name string, v any) bool {
	zf := a.parts[name]
	if zf == nil {
		return false
	}
	rc, err := zf.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxInMemory)).Decode(v) == nil
}
