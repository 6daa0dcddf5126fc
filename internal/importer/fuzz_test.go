package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The workbook reader fuzzed (issue 13, item 8): whatever the bytes, it
// refuses the file with problems that say something, or reads rows within
// the limits; it never panics, and stops. FuzzReadWorkbook mutates whole
// archives; FuzzSheetXML mutates the XML of the data sheet and of the
// shared strings inside a well-formed archive (stored, not compressed, so
// that each byte of the input is a byte the reader sees). Run with
// go test -run='^$' -fuzz=FuzzSheetXML ./internal/importer (or
// -fuzz=FuzzReadWorkbook; with -fuzzminimizetime=1x, as minimizing an
// archive takes the whole run otherwise).

// readAll reads data as the importer does and checks what it gets.
func readAll(t *testing.T, data []byte) {
	bk, probs := openBook(data)
	if probs != nil {
		checkProblems(t, probs)
		return
	}
	defer bk.close()
	last, rows := 0, 0
	refused := bk.each(func(r dataRow) bool {
		rows++
		if r.num <= last || len(r.cells) > MaxColumns {
			t.Fatalf("row %d after %d with %d cells", r.num, last, len(r.cells))
		}
		last = r.num
		for _, c := range r.cells {
			if len(c) > MaxCellBytes {
				t.Fatalf("row %d: a cell of %d bytes", r.num, len(c))
			}
		}
		return true
	})
	if refused != nil {
		if refused.total < len(refused.list) || len(refused.list) > MaxProblems {
			t.Fatalf("%d problems listed of %d", len(refused.list), refused.total)
		}
		checkProblems(t, refused.sorted())
		return
	}
	if rows > MaxRows || rows != bk.t.rows {
		t.Fatalf("%d rows read, %d counted", rows, bk.t.rows)
	}
}

func checkProblems(t *testing.T, probs []Problem) {
	if len(probs) == 0 {
		t.Fatal("refused without a problem")
	}
	for _, p := range probs {
		if p.Message == "" || !utf8.ValidString(p.Message) || p.Row < 0 {
			t.Fatalf("problem %+v", p)
		}
	}
}

// seedBook is a small data sheet written by excelize: text, numbers, a
// date, a formula.
func seedBook(f *testing.F) []byte {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", DataSheet)
	for i, v := range []any{"Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã tổ chức"} {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		x.SetCellValue(DataSheet, ref, v)
	}
	x.SetSheetRow(DataSheet, "A2", &[]any{"Nguyễn Văn An", 32947, "Nam", "066090000001", "eaphe-t1"})
	x.SetSheetRow(DataSheet, "A3", &[]any{"Lê Thị Bình", "15/03/1990", "Nữ", "066190000002", "eaphe-t1"})
	x.SetCellFormula(DataSheet, "B4", "DATE(1990,3,15)")
	x.SetCellStr(DataSheet, "A4", "Trần Văn Cường")
	x.NewSheet(HelpSheet)
	x.SetCellStr(HelpSheet, "A1", "Hướng dẫn")
	var b bytes.Buffer
	if _, err := x.WriteTo(&b); err != nil {
		f.Fatal(err)
	}
	return b.Bytes()
}

func FuzzReadWorkbook(f *testing.F) {
	f.Add(seedBook(f))
	f.Add(storedBook(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Ngày sinh</t></is></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>32947</v></c></row>`,
		`<si><t>Họ và tên</t></si><si><t>Nguyễn Văn An</t></si>`))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		readAll(t, data)
	})
}

func FuzzSheetXML(f *testing.F) {
	for _, s := range [][2]string{
		{`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>32947</v></c></row>`,
			`<si><t>Họ và tên</t></si><si><t>Ngày sinh</t></si><si><r><t>Nguyễn </t></r><r><t>Văn An</t></r></si>`},
		{`<row><c t="inlineStr"><is><t>Họ và tên</t></is></c></row><row><c t="inlineStr"><is><t xml:space="preserve"> An &amp; Bình </t></is></c><c><f>A1&amp;"x"</f><v>1</v></c></row>`, ``},
		{`<row r="1"><c r="A1" t="str"><v>Mã</v></c></row><row r="3"><c r="A3"><f t="shared" ref="A3:A5" si="0">B3+1</f><v>2</v></c></row><row r="4"><c r="A4"><f t="shared" si="0"/><v>3</v></c></row>`, ``},
		{`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row><!-- <row r="9"> --><row r="2"><c r="XFD2" t="s"><v>0</v></c></row>`, `<si><t><![CDATA[<b>]]></t></si>`},
		{`<row r="1048577"><c r="A1048577"><v>1</v></c></row>`, `<si/>`},
		{`<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c><c r="C1" t="d"><v>2024-05-04T00:00:00</v></c></row>`, ``},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, sheet, shared string) {
		readAll(t, storedBook(sheet, shared))
	})
}

// storedBook is an xlsx archive, stored without compression, whose data
// sheet holds sheetData and whose shared strings hold items.
func storedBook(sheetData, items string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	put := func(name, body string) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			panic(err)
		}
		w.Write([]byte(body))
	}
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	put("[Content_Types].xml", head+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`)
	put("_rels/.rels", head+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", head+`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", head+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)
	put("xl/worksheets/sheet1.xml", head+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+sheetData+`</sheetData></worksheet>`)
	put("xl/sharedStrings.xml", head+fmt.Sprintf(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d">`, strings.Count(items, "<si"))+items+`</sst>`)
	zw.Close()
	return b.Bytes()
}
