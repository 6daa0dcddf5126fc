package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"ketnap/internal/importer"
	"ketnap/internal/service"
)

const exportUsage = `Cách dùng:
  ketnap export template KIND -o TỆP.xlsx                  tệp mẫu để nhập (KIND: orgs, members, candidates, targets)
  ketnap export template reorg -o TỆP.xlsx                 tệp mẫu phương án sắp xếp tổ chức (ketnap reorg apply)
  ketnap export orgs [--org MÃ] -o TỆP.xlsx                các tổ chức theo mẫu nhập (sửa rồi nhập lại được)
  ketnap export targets [--org MÃ] --year NĂM -o TỆP.xlsx  chỉ tiêu, kế hoạch của năm theo mẫu nhập
`

// cmdExport dispatches "ketnap export SUBCOMMAND": add other exports as
// cases of this switch.
func cmdExport(env Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, exportUsage)
		return exitUsage
	}
	switch args[0] {
	case "template":
		return cmdExportTemplate(env, args[1:])
	case "orgs", "targets":
		return cmdExportData(env, args[0], args[1:])
	}
	fmt.Fprintf(env.Stderr, "Lệnh export không hợp lệ: %q\n%s", args[0], exportUsage)
	return exitUsage
}

// cmdExportTemplate writes the Excel template of a kind of import.
func cmdExportTemplate(env Env, args []string) int {
	if len(args) == 0 || (importer.KindName(args[0]) == "" && args[0] != importer.KindReorg) {
		fmt.Fprint(env.Stderr, "Cần loại tệp mẫu: orgs, members, candidates, targets hoặc reorg\n"+exportUsage)
		return exitUsage
	}
	kind := args[0]
	fs, db := newFlags(env, "export template")
	out := fs.String("o", "", "tệp .xlsx sẽ ghi")
	if ok, st := parse(env, fs, args[1:]); !ok {
		return st
	}
	if *out == "" {
		fmt.Fprintln(env.Stderr, "Cần -o TỆP.xlsx")
		return exitUsage
	}
	return writeBook(env, *db, *out, func(ctx context.Context, svc *service.Service, w io.Writer) error {
		return importer.Template(ctx, svc, kind, w)
	}, "Đã ghi tệp mẫu "+templateName(kind))
}

// writeBook opens the database as the system administrator, writes the
// workbook fill makes to the file out and says so.
func writeBook(env Env, db, out string, fill func(context.Context, *service.Service, io.Writer) error, done string) int {
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	var b bytes.Buffer
	if err := fill(systemCtx(ctx), svc, &b); err != nil {
		return fail(env, err)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "%s: %s\n", done, out)
	return exitOK
}

// cmdExportData writes organizations or targets in the import's format.
func cmdExportData(env Env, kind string, args []string) int {
	fs, db := newFlags(env, "export "+kind)
	out := fs.String("o", "", "tệp .xlsx sẽ ghi")
	org := fs.String("org", "", "mã tổ chức (mặc định: cấp trên cùng)")
	year := fs.Int("year", 0, "năm của chỉ tiêu (targets)")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	if *out == "" {
		fmt.Fprintln(env.Stderr, "Cần -o TỆP.xlsx")
		return exitUsage
	}
	if kind == importer.KindTargets && *year == 0 {
		fmt.Fprintln(env.Stderr, "Cần --year NĂM")
		return exitUsage
	}
	return writeBook(env, *db, *out, func(ctx context.Context, svc *service.Service, w io.Writer) error {
		if kind == importer.KindOrgs {
			return importer.ExportOrgs(ctx, svc, *org, w)
		}
		return importer.ExportTargets(ctx, svc, *org, *year, w)
	}, "Đã ghi "+strings.ToLower(importer.KindName(kind))+" theo mẫu nhập")
}

// templateName is the Vietnamese name of a template's kind.
func templateName(kind string) string {
	if kind == importer.KindReorg {
		return "phương án sắp xếp tổ chức"
	}
	return importer.KindName(kind)
}
