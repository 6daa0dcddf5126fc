package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/importer"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

const reorgUsage = `Cách dùng:
  ketnap reorg apply TỆP [--dry-run] [--format json|text]
        Áp dụng một phương án sắp xếp tổ chức (một quyết định: thành lập, sáp nhập, chuyển trực
        thuộc, đổi tên, giải thể) trong một giao dịch. TỆP là JSON (CONTRACT “Reorganisation plan”)
        hoặc tệp Excel theo mẫu ketnap export template reorg. --dry-run chỉ kiểm tra và cho biết
        những gì sẽ chuyển, không ghi gì.

Trạng thái thoát: 0 khi đã áp dụng (hoặc kiểm tra không có lỗi); 1 khi phương án có lỗi (in ra mọi lỗi,
không ghi gì) hoặc tệp không đọc được; 2 khi dùng sai lệnh.
`

// cmdReorg runs `ketnap reorg ...`.
func cmdReorg(env Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, reorgUsage)
		return exitUsage
	}
	switch args[0] {
	case "apply":
		return reorgApply(env, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, reorgUsage)
		return exitOK
	}
	fmt.Fprintf(env.Stderr, "Lệnh con không hợp lệ: %q\n%s", args[0], reorgUsage)
	return exitUsage
}

func reorgApply(env Env, args []string) int {
	fs, db := newFlags(env, "reorg apply")
	dry := fs.Bool("dry-run", false, "chỉ kiểm tra, không ghi gì")
	format := fs.String("format", "text", "json hoặc text")
	// the file may come before or after the flags
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
		if ok, st := parse(env, fs, fs.Args()[1:]); !ok {
			return st
		}
	} else if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "Tham số thừa: %s\n", strings.Join(fs.Args(), " "))
		return exitUsage
	}
	if file == "" {
		fmt.Fprint(env.Stderr, "Cần tệp phương án (.json hoặc .xlsx)\n"+reorgUsage)
		return exitUsage
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
	res, err := importer.ApplyReorgFile(systemCtx(ctx), svc, file, data, service.ReorgOptions{DryRun: *dry})
	if err != nil {
		return fail(env, err)
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return fail(env, err)
		}
	} else {
		printReorg(env.Stdout, res)
	}
	if !res.OK() {
		fmt.Fprintf(env.Stderr, "Lỗi: phương án có %s lỗi; không ghi gì.\n", vn.Int(len(res.Problems)))
		return exitFail
	}
	return exitOK
}

// printReorg writes a plan's result as text: the decision, what moves
// per unit, the totals, every problem, and whether it was applied.
func printReorg(w io.Writer, res *service.ReorgResult) {
	if res.Decision != "" || res.Date != "" {
		fmt.Fprintf(w, "Phương án: %s; hiệu lực từ ngày %s\n", res.Decision, isoToVN(res.Date))
	}
	if o := res.Operations; o != (service.ReorgOps{}) {
		fmt.Fprintf(w, "Thao tác: thành lập %d, sáp nhập %d đơn vị, chuyển trực thuộc %d, đổi tên %d, giải thể %d\n", o.Create, o.Merge, o.Move, o.Rename, o.Close)
	}
	for _, u := range res.Units {
		fmt.Fprintln(w, "  "+u.Text())
	}
	if len(res.Units) > 0 {
		t := res.Totals
		fmt.Fprintf(w, "Tổng cộng chuyển: %s\n", t.ReorgCounts.Text())
		if !res.DryRun || res.OK() {
			if t.Authorities > 0 || t.CasesRefreshed > 0 {
				fmt.Fprintf(w, "Ghi lại cấp quyết định kết nạp của %s đơn vị; tính lại bước tiếp theo và thời hạn của %s hồ sơ\n",
					vn.Int(t.Authorities), vn.Int(t.CasesRefreshed))
			}
		}
	}
	for _, p := range res.Problems {
		fmt.Fprintln(w, p.Text())
	}
	switch {
	case !res.OK():
		fmt.Fprintf(w, "Không áp dụng: %s lỗi. Sửa phương án rồi chạy lại; chưa ghi gì.\n", vn.Int(len(res.Problems)))
	case res.DryRun:
		fmt.Fprintln(w, "Kiểm tra xong, không có lỗi (chưa ghi gì). Chạy lại không có --dry-run để áp dụng.")
	default:
		fmt.Fprintf(w, "Đã áp dụng phương án (số %d) lúc %s.\n", res.PlanID, vn.DateTime(*res.AppliedAt))
	}
}

// isoToVN writes a YYYY-MM-DD date as dd/mm/yyyy (as it is when it is not one).
func isoToVN(s string) string {
	if t, err := domain.ParseISODate("date", s); err == nil {
		return vn.Date(t)
	}
	return s
}
