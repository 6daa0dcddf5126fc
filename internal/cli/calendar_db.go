package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
)

// The calendar subcommands that use the database: the schedules recorded
// there (workdays, holidays), and record and forget, which change them.

// calDBExists reports whether the database named by dsn is there to be
// read: a PostgreSQL DSN always is; a SQLite file only when it exists, so
// that a calendar question never creates a database.
func calDBExists(dsn string) bool {
	if store.IsPostgres(dsn) {
		return true
	}
	path := dsn
	if rest, ok := strings.CutPrefix(path, "file:"); ok {
		path, _, _ = strings.Cut(rest, "?")
	}
	if path == "" || path == ":memory:" {
		return false
	}
	_, err := os.Stat(path)
	return err == nil || !errors.Is(err, fs.ErrNotExist) // let Open report what else is wrong
}

// calCalendar returns the calendar to answer with: the built-in schedules,
// overridden by those recorded in the database when it exists.
func calCalendar(env Env, dsn string) (*calendar.Calendar, error) {
	if !calDBExists(dsn) {
		return calendar.Default(), nil
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, dsn, nil)
	if err != nil {
		return nil, err
	}
	defer svc.Close()
	return svc.Calendar(ctx)
}

// calYear reads the YEAR argument.
func calYear(s string) (int, error) {
	year, err := strconv.Atoi(s)
	if err != nil {
		return 0, domain.FieldError("year", "Năm %q không hợp lệ: cần một số, ví dụ 2027", s)
	}
	return year, nil
}

// calRecord runs `ketnap calendar record YEAR [FILE]`.
func calRecord(env Env, args []string) int {
	flags := calFlagSet("record")
	pos, code, ok := calParse(flags, args, env.Stdout, env.Stderr)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintf(env.Stderr, "Thiếu năm.\n\n%s", calUsageText)
		return exitUsage
	}
	if !calWantArgs(pos, min(len(pos), 2), "", env.Stderr) {
		return exitUsage
	}
	year, err := calYear(pos[0])
	if err != nil {
		return fail(env, err)
	}
	in, name := env.Stdin, "đầu vào chuẩn"
	if len(pos) == 2 && pos[1] != "-" {
		f, err := os.Open(pos[1])
		if errors.Is(err, fs.ErrNotExist) {
			return fail(env, domain.Errorf(domain.ENotFound, "Không có tệp %s", pos[1]))
		} else if err != nil {
			return fail(env, domain.Errorf(domain.EBadRequest, "Không mở được tệp %s", pos[1]))
		}
		defer f.Close()
		in, name = f, "tệp "+pos[1]
	}
	if in == nil {
		in = strings.NewReader("")
	}
	doc, err := calDecodeDoc(in, name)
	if err != nil {
		return fail(env, err)
	}
	sch, err := doc.Schedule(year)
	if err != nil {
		return fail(env, err)
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, calDB(env, flags), nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	sctx := systemCtx(ctx)
	if err := svc.RecordSchedule(sctx, sch); err != nil {
		return fail(env, err)
	}
	info, err := svc.ScheduleOf(sctx, year)
	if err != nil {
		return fail(env, err)
	}
	_, label := calStatus(info.Schedule)
	fmt.Fprintf(env.Stdout, "Đã ghi nhận lịch nghỉ năm %d: %d ngày, lịch %s", year, len(info.Days), label)
	if info.Source != "" {
		fmt.Fprintf(env.Stdout, " (%s)", info.Source)
	}
	fmt.Fprintln(env.Stdout, ".")
	return exitOK
}

// calDecodeDoc reads a schedule document strictly: unknown fields and
// trailing data are refused with Vietnamese messages.
func calDecodeDoc(r io.Reader, name string) (service.ScheduleDoc, error) {
	var doc service.ScheduleDoc
	dec := json.NewDecoder(io.LimitReader(r, 1<<20))
	dec.DisallowUnknownFields()
	err := dec.Decode(&doc)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		if dec.More() {
			return doc, domain.Errorf(domain.EBadRequest, "Lịch nghỉ trong %s chỉ được là một đối tượng JSON", name)
		}
		return doc, nil
	case errors.Is(err, io.EOF):
		return doc, domain.Errorf(domain.EBadRequest, "Chưa có lịch nghỉ: %s trống", name)
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return doc, domain.Errorf(domain.EBadRequest, "Lịch nghỉ trong %s không phải JSON hợp lệ: %v", name, err)
	case errors.As(err, &typ):
		return doc, domain.Errorf(domain.EInvalid, "Trường %q trong %s có kiểu dữ liệu không đúng", typ.Field, name)
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return doc, domain.Errorf(domain.EInvalid, "Trường không được hỗ trợ trong %s: %s (chỉ có official, source, days với date, kind, name)", name, field)
	}
	return doc, domain.Errorf(domain.EBadRequest, "Không đọc được lịch nghỉ trong %s: %v", name, err)
}

// calForget runs `ketnap calendar forget YEAR`.
func calForget(env Env, args []string) int {
	fs := calFlagSet("forget")
	pos, code, ok := calParse(fs, args, env.Stdout, env.Stderr)
	if !ok {
		return code
	}
	if !calWantArgs(pos, 1, "năm", env.Stderr) {
		return exitUsage
	}
	year, err := calYear(pos[0])
	if err != nil {
		return fail(env, err)
	}
	dsn := calDB(env, fs)
	if !calDBExists(dsn) {
		return fail(env, domain.Errorf(domain.ENotFound, "Không có cơ sở dữ liệu %s: năm %d chưa có lịch nghỉ nào được ghi nhận", dsn, year))
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, dsn, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	sctx := systemCtx(ctx)
	if err := svc.ForgetSchedule(sctx, year); err != nil {
		return fail(env, err)
	}
	info, err := svc.ScheduleOf(sctx, year)
	if err != nil {
		return fail(env, err)
	}
	_, label := calStatus(info.Schedule)
	fmt.Fprintf(env.Stdout, "Đã xóa lịch nghỉ ghi nhận cho năm %d; năm này dùng lại lịch %s (%s).\n", year, label, info.Source)
	return exitOK
}
