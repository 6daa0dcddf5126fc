package cli

import (
	"bytes"
	"fmt"
	"os"

	"ketnap/internal/importer"
)

const exportUsage = `Cách dùng:
  ketnap export template KIND -o TỆP.xlsx     tệp mẫu để nhập (KIND: orgs, members, candidates, targets)
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
	}
	fmt.Fprintf(env.Stderr, "Lệnh export không hợp lệ: %q\n%s", args[0], exportUsage)
	return exitUsage
}

// cmdExportTemplate writes the Excel template of a kind of import.
func cmdExportTemplate(env Env, args []string) int {
	if len(args) == 0 || importer.KindName(args[0]) == "" {
		fmt.Fprint(env.Stderr, "Cần loại tệp mẫu: orgs, members, candidates hoặc targets\n"+exportUsage)
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
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Store.Close()
	var b bytes.Buffer
	if err := importer.Template(systemCtx(ctx), svc, kind, &b); err != nil {
		return fail(env, err)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "Đã ghi tệp mẫu %s: %s\n", importer.KindName(kind), *out)
	return exitOK
}
