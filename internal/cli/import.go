package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"ketnap/internal/importer"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

const importUsage = "Cách dùng: ketnap import orgs|members|candidates|targets TỆP.xlsx [--dry-run] [--valid-only] [--format json|text]\n"

// cmdImport imports an Excel file: nothing is written when a row is wrong
// (exit 1) unless --valid-only; every problem names sheet, row and column.
func cmdImport(env Env, args []string) int {
	if len(args) == 0 || importer.KindName(args[0]) == "" {
		fmt.Fprint(env.Stderr, importUsage)
		return exitUsage
	}
	kind := args[0]
	fs, db := newFlags(env, "import")
	dry := fs.Bool("dry-run", false, "chỉ kiểm tra, không ghi gì")
	validOnly := fs.Bool("valid-only", false, "nhập các dòng hợp lệ dù có dòng sai")
	format := fs.String("format", "text", "json hoặc text")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprint(env.Stderr, "Cần tệp .xlsx\n"+importUsage)
		return exitUsage
	}
	file := fs.Arg(0)
	if ok, st := parse(env, fs, fs.Args()[1:]); !ok {
		return st
	}
	if *format != "json" && *format != "text" {
		fmt.Fprintf(env.Stderr, "--format phải là json hoặc text, không phải %q\n", *format)
		return exitUsage
	}
	data, ok := readImportFile(env, file)
	if !ok {
		return exitFail
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	opt := importer.Options{DryRun: *dry, ValidOnly: *validOnly, Progress: func(phase string, done, total int) {
		verb := "Đã kiểm tra"
		if phase == service.ImportWriting {
			verb = "Đã ghi"
		}
		fmt.Fprintf(env.Stderr, "%s %s/%s dòng\n", verb, vn.Int(done), vn.Int(total))
	}}
	res, err := importer.Import(systemCtx(ctx), svc, kind, data, opt)
	if err != nil {
		return fail(env, err)
	}
	if err := printImport(env, res, *format == "json", opt); err != nil {
		return fail(env, err)
	}
	if len(res.Errors) > 0 && (!*validOnly || res.Rows == 0 || res.Errors[0].Row <= 1) {
		return exitFail
	}
	return exitOK
}

// readImportFile reads the file to import; one larger than the importer
// takes is not read (the importer refuses it with its message).
func readImportFile(env Env, file string) ([]byte, bool) {
	fi, err := os.Stat(file)
	if err != nil {
		fmt.Fprintf(env.Stderr, "Lỗi: không mở được tệp %s\n", file)
		return nil, false
	}
	if fi.Size() > importer.MaxSize {
		return make([]byte, importer.MaxSize+1), true
	}
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(env.Stderr, "Lỗi: không đọc được tệp %s\n", file)
		return nil, false
	}
	return data, true
}

// printImport writes the result: JSON, or each problem on a line and a
// summary.
func printImport(env Env, res *importer.Result, asJSON bool, opt importer.Options) error {
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	for _, p := range res.Errors {
		fmt.Fprintln(env.Stdout, describe(p))
	}
	for _, u := range res.UpdatedRows {
		verb := "cập nhật"
		if opt.DryRun {
			verb = "sẽ cập nhật"
		}
		fmt.Fprintf(env.Stdout, "%s, dòng %d: %s %s\n", u.Sheet, u.Row, verb, strings.Join(quoted(u.Columns), ", "))
	}
	if res.MoreErrors > 0 {
		fmt.Fprintf(env.Stdout, "… và %s lỗi khác (chỉ liệt kê %s lỗi đầu tiên)\n", vn.Int(res.MoreErrors), vn.Int(len(res.Errors)))
	}
	switch {
	case opt.DryRun:
		fmt.Fprintf(env.Stdout, "Kiểm tra xong (chưa ghi gì): %s dòng, %s dòng mới hợp lệ, %s dòng đã có, %s lỗi\n",
			vn.Int(res.Rows), vn.Int(res.Valid), vn.Int(res.Unchanged), vn.Int(res.ErrorCount()))
	case res.Imported == 0 && len(res.Errors) > 0 && !opt.ValidOnly:
		fmt.Fprintf(env.Stdout, "Không nhập dòng nào vì có %s lỗi. Sửa tệp rồi nhập lại, hoặc dùng --valid-only để chỉ nhập các dòng hợp lệ.\n", vn.Int(res.ErrorCount()))
	default:
		fmt.Fprintf(env.Stdout, "Đã nhập %s dòng; %s dòng đã có từ trước, giữ nguyên; %s lỗi\n",
			vn.Int(res.Imported), vn.Int(res.Unchanged), vn.Int(res.ErrorCount()))
		if res.Steps > 0 {
			fmt.Fprintf(env.Stdout, "Đã ghi %s bước của quy trình kết nạp (%s hồ sơ đã có được ghi thêm bước)\n",
				vn.Int(res.Steps), vn.Int(res.Updated))
		}
	}
	return nil
}

// quoted puts each column name in quotation marks.
func quoted(cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = "“" + c + "”"
	}
	return out
}

// describe writes a problem on one line: "Dữ liệu, dòng 7, cột “Ngày sinh”: …".
func describe(p importer.Problem) string {
	where := p.Sheet
	if p.Row > 0 {
		where += fmt.Sprintf(", dòng %d", p.Row)
	}
	if p.Column != "" {
		where += ", cột “" + p.Column + "”"
	}
	if p.Cell != "" {
		where += " (ô " + p.Cell + ")"
	}
	if where == "" {
		return p.Message
	}
	return where + ": " + p.Message
}
