package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ketnap/internal/report"
)

const reportConferenceUsage = "Cách dùng: ketnap report conference [--org MÃ] --year NĂM [--asof NNNN-TT-NN] -o TỆP.docx|TỆP.pdf|TỆP.xlsx [--format docx|pdf|xlsx] [--number 12|\"Số 12-BC/HU\"] [--place \"Krông Pắc\"] [--parent \"ĐẢNG BỘ TỈNH ĐẮK LẮK\"] [--issuer \"HUYỆN ỦY KRÔNG PẮC\"] [--sign-for \"T/M BAN THƯỜNG VỤ\"] [--signer-title \"PHÓ BÍ THƯ\"] [--signer \"HỌ VÀ TÊN\"] [--draft]"

// cmdReportConference writes the conference report: Word (.docx), PDF,
// or its tables as Excel (.xlsx), chosen by the output file's extension
// or --format; with the text saved on the report's page (unless --draft),
// the header and signature options over it.
func cmdReportConference(env Env, args []string) int {
	fs, db := newFlags(env, "report conference")
	rf := addReportFlags(fs)
	out := fs.String("o", "", "tệp kết quả: .docx, .pdf hoặc .xlsx")
	format := fs.String("format", "", "docx, pdf hoặc xlsx (mặc định: theo phần mở rộng của tệp)")
	number := fs.String("number", "", "số văn bản (\"12\") hoặc cả dòng số hiệu (mặc định \"Số      -BC/HU\" để điền tay)")
	place := fs.String("place", "", "địa danh ở dòng ngày tháng (mặc định: theo tên đơn vị)")
	issuer := fs.String("issuer", "", "cơ quan ban hành, dòng thứ hai bên trái (mặc định theo tên đơn vị, ví dụ HUYỆN ỦY KRÔNG PẮC)")
	parent := fs.String("parent", "", "cấp ủy cấp trên, dòng thứ nhất bên trái (mặc định: đơn vị cấp trên trong cây tổ chức tại ngày báo cáo)")
	signFor := fs.String("sign-for", "", "thẩm quyền ký (mặc định T/M BAN THƯỜNG VỤ với huyện ủy, tỉnh ủy)")
	signerTitle := fs.String("signer-title", "", "chức vụ người ký (mặc định PHÓ BÍ THƯ)")
	signer := fs.String("signer", "", "họ và tên người ký (mặc định để trống để ký tay)")
	draft := fs.Bool("draft", false, "dùng bản nháp soạn từ số liệu, bỏ qua phần đã sửa trên trang báo cáo")
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
		Number: *number, Place: *place, Issuer: *issuer, Parent: *parent, SignFor: *signFor, SignerTitle: *signerTitle, Signer: *signer,
		Draft: *draft})
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
