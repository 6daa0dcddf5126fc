package report

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"text/template"
	"time"
)

// The Word template: the parts of a .docx package (A4, Times New Roman 14
// pt, vi-VN). Every part is copied as is except word/document.xml.tmpl,
// rendered into word/document.xml (go-stack.md, "DOCX").
//
//go:embed all:template
var docxTemplate embed.FS

// textWidth is the width between the margins of the A4 page, in twips
// (21 cm less 3 cm left and 2 cm right).
const textWidth = 9071

var docxBody = template.Must(template.New("document.xml.tmpl").Funcs(template.FuncMap{"esc": esc, "table": docxTable, "chart": docxChart, "text": func(s string) string { return esc(keepPercent(s)) }}).
	ParseFS(docxTemplate, "template/word/document.xml.tmpl"))

// esc escapes text for XML character data (& < > " and control characters).
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// WriteDocx writes the document as a Word .docx package.
func WriteDocx(w io.Writer, d *Document) error {
	charts := docxCharts(d)
	var body bytes.Buffer
	if err := docxBody.Execute(&body, d); err != nil {
		return err
	}
	z := zip.NewWriter(w)
	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	put := func(name string, data []byte) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	// [Content_Types].xml goes first, as Word writes it.
	err := fs.WalkDir(docxTemplate, "template", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		name := strings.TrimPrefix(p, "template/")
		if name == "word/document.xml.tmpl" {
			return nil
		}
		data, err := docxTemplate.ReadFile(p)
		if err != nil {
			return err
		}
		switch name {
		case "[Content_Types].xml":
			data = chartTypes(data, charts)
		case "word/_rels/document.xml.rels":
			data = chartRels(data, charts)
		}
		return put(name, data)
	})
	if err != nil {
		return err
	}
	if err := put("word/document.xml", body.Bytes()); err != nil {
		return err
	}
	for _, ch := range charts {
		if err := put(chartPart(ch.id), chartXML(ch)); err != nil {
			return err
		}
	}
	return z.Close()
}

// docxTable renders a bordered table with a bold header row that repeats
// on every page and the total row in bold; the font is 12 pt, and a
// percent keeps its sign ("23,17 %" does not break before "%").
func docxTable(t *Table) string {
	total := 0.0
	for _, w := range t.Widths {
		total += w
	}
	widths := make([]int, len(t.Headers))
	for i := range widths {
		if i < len(t.Widths) && total > 0 {
			widths[i] = int(t.Widths[i] / total * textWidth)
		} else {
			widths[i] = textWidth / len(t.Headers)
		}
	}
	var b strings.Builder
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + fmt.Sprint(textWidth) + `" w:type="dxa"/><w:tblBorders>`)
	for _, s := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + s + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	row := func(cells []string, header, bold bool) {
		b.WriteString(`<w:tr>`)
		if header {
			b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			b.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for i, w := range widths {
			s := ""
			if i < len(cells) {
				s = cells[i]
			}
			jc := map[string]string{"L": "left", "C": "center", "R": "right"}[t.align(i)]
			rpr := `<w:sz w:val="24"/><w:szCs w:val="24"/>`
			if header {
				jc = "center"
			}
			if header || bold {
				rpr = `<w:b/>` + rpr
			}
			fmt.Fprintf(&b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/><w:jc w:val="%s"/></w:pPr><w:r><w:rPr>%s</w:rPr><w:t xml:space="preserve">%s</w:t></w:r></w:p></w:tc>`,
				w, jc, rpr, esc(keepPercent(s)))
		}
		b.WriteString(`</w:tr>`)
	}
	row(t.Headers, true, true)
	for _, r := range t.Rows {
		row(r, false, false)
	}
	if t.Total != nil {
		row(t.Total, false, true)
	}
	b.WriteString(`</w:tbl><w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p>`)
	return b.String()
}
