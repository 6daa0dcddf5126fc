package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ketnap/internal/report"
)

const reportConferenceUsage = "Cách dùng: ketnap report conference [--org MÃ] --year NĂM [--asof NNNN-TT-NN] -o TỆP.docx|TỆP.pdf|TỆP.xlsx [--format docx|pdf|xlsx] [--number \"Số: 12-BC/HU\"] [--place \"Krông Pắc\"] [--issuer \"BAN THƯỜNG VỤ\"] [--parent \"ĐẢNG BỘ HUYỆN KRÔNG PẮC\"]"

// cmdReportConference writes the conference report: Word (.docx), PDF,
// or its tables as Excel (.xlsx), chosen by the output file's extension
// or --format.
func cmdReportConference(env Env, args []string) int {
	fs, db := newFlags(env, "report conference")
	rf := addReportFlags(fs)
	out := fs.String("o", "", "tệp kết quả: .docx, .pdf hoặc .xlsx")
	format := fs.String("format", "", "docx, pdf hoặc xlsx (mặc định: theo phần mở rộng của tệp)")
	number := fs.String("number", "", "dòng số hiệu văn bản (mặc định \"Số:      -BC/HU\" để điền tay)")
	place := fs.String("place", "", "địa danh ở dòng ngày tháng (mặc định: theo tên đơn vị)")
	issuer := fs.String("issuer", "", "cơ quan ban hành, dòng thứ hai bên trái (mặc định BAN THƯỜNG VỤ)")
	parent := fs.String("parent", "", "dòng thứ nhất bên trái (mặc định: tên đơn vị viết hoa)")
	if ok, st := parse(env, fs, args); !ok {
		if st == exitUsage {
			fmt.Fprintln(env.Stderr, reportConferenceUsage)
		}
		return st
	}
	if *rf.year == 0 || *out == "" {
		fmt.Fprintln(env.Stderr, "Cần --year và -o\n"+reportConferenceUsage)
		return exitUsage
	}
	kind := strings.ToLower(*format)
	if kind == "" {
		kind = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	}
	if kind != "docx" && kind != "pdf" && kind != "xlsx" {
		fmt.Fprintf(env.Stderr, "Định dạng phải là docx, pdf hoặc xlsx, không phải %q\n%s\n", kind, reportConferenceUsage)
		return exitUsage
	}
	q, err := rf.query()
	if err != nil {
		return fail(env, err)
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	c, err := report.Build(systemCtx(ctx), svc, report.Options{ReportQuery: q,
		Number: *number, Place: *place, Issuer: *issuer, Parent: *parent})
	if err != nil {
		return fail(env, err)
	}
	var buf bytes.Buffer
	switch kind {
	case "docx":
		err = report.WriteDocx(&buf, c.Document())
	case "pdf":
		err = report.WritePDF(&buf, c.Document())
	case "xlsx":
		err = report.WriteXLSX(&buf, c)
	}
	if err != nil {
		return fail(env, err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "Đã ghi báo cáo hội nghị của %s năm %d (tính đến ngày %s) vào %s.\n", c.Org.Name, c.Year, c.AsOf.Format("02/01/2006"), *out)
	return exitOK
}
