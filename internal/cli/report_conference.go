package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/report"
)

const reportConferenceUsage = "Cách dùng: ketnap report conference [--org MÃ] --year NĂM [--asof NNNN-TT-NN] -o TỆP.docx|TỆP.pdf|TỆP.xlsx [--format docx|pdf|xlsx] [--number \"Số: 12-BC/HU\"] [--place \"Krông Pắc\"] [--issuer \"BAN THƯỜNG VỤ\"] [--parent \"ĐẢNG BỘ HUYỆN KRÔNG PẮC\"]"

// cmdReportConference writes the conference report: Word (.docx), PDF,
// or its tables as Excel (.xlsx), chosen by the output file's extension
// or --format.
func cmdReportConference(env Env, args []string) int {
	fs, db := newFlags(env, "report conference")
	org := fs.String("org", "", "mã tổ chức (mặc định: tổ chức cấp trên cùng)")
	year := fs.Int("year", 0, "năm")
	asofS := fs.String("asof", "", "tính đến ngày NNNN-TT-NN (mặc định: hôm nay)")
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
	if *year == 0 || *out == "" {
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
	ctx, cancel := signalContext(env)
	defer cancel()
	asof := domain.Today(time.Now)
	if *asofS != "" {
		t, err := domain.ParseISODate("asof", *asofS)
		if err != nil {
			return fail(env, err)
		}
		asof = t
	}
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	c, err := report.Build(systemCtx(ctx), svc, report.Options{OrgCode: *org, Year: *year, AsOf: asof,
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
	fmt.Fprintf(env.Stdout, "Đã ghi báo cáo hội nghị của %s năm %d (tính đến ngày %s) vào %s.\n", c.Org.Name, c.Year, asof.Format("02/01/2006"), *out)
	return exitOK
}
