package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
)

// rulesUsageText is printed on wrong usage (exit 2) and for --help (exit 0).
const rulesUsageText = `Cách dùng:
  ketnap rules check [TỆP]
        Kiểm tra hồ sơ kết nạp đảng viên theo quy định (tuổi, học vấn, người giới thiệu,
        giấy chứng nhận, thời hạn hồ sơ, tỷ lệ biểu quyết, thời hạn quyết định và lễ kết nạp)
        và tính các thời hạn. Hồ sơ là JSON đọc từ TỆP, hoặc từ đầu vào chuẩn khi không có
        TỆP (hoặc TỆP là -); không lưu gì vào cơ sở dữ liệu. Kết quả in ra dạng JSON.

Trạng thái thoát: 0 khi kiểm tra chạy xong, kể cả khi hồ sơ chưa đạt (khi đó JSON có "ok": false);
1 khi JSON sai, có trường không được hỗ trợ hoặc giá trị không hợp lệ (thông báo ở đầu ra lỗi);
2 khi dùng sai lệnh.
`

// cmdRules runs `ketnap rules ...` with the arguments after "rules".
func cmdRules(env Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, "Thiếu lệnh con của ketnap rules.\n\n"+rulesUsageText)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return rulesCheck(env, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, rulesUsageText)
		return exitOK
	}
	fmt.Fprintf(env.Stderr, "Lệnh con không hợp lệ: %q.\n\n%s", args[0], rulesUsageText)
	return exitUsage
}

func rulesCheck(env Env, args []string) int {
	fset := flag.NewFlagSet("ketnap rules check", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	fset.String("db", "", "") // taken by every command; nothing is stored here
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(env.Stdout, rulesUsageText)
			return exitOK
		}
		fmt.Fprintf(env.Stderr, "%s.\n\n%s", rulesFlagError(err), rulesUsageText)
		return exitUsage
	}
	if fset.NArg() > 1 {
		fmt.Fprintf(env.Stderr, "Chỉ nhận một tệp, không phải: %s.\n\n%s", strings.Join(fset.Args(), " "), rulesUsageText)
		return exitUsage
	}
	in, name := env.Stdin, "đầu vào chuẩn"
	if path := fset.Arg(0); path != "" && path != "-" {
		f, err := os.Open(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fail(env, domain.Errorf(domain.EInvalid, "Không có tệp %s", path))
			}
			return fail(env, domain.Errorf(domain.EInvalid, "Không đọc được tệp %s: %v", path, err))
		}
		defer f.Close()
		in, name = f, "tệp "+path
	}
	if in == nil {
		in = strings.NewReader("")
	}
	var c rules.CheckInput
	if err := decodeStrict(in, &c, name); err != nil {
		return fail(env, err)
	}
	res, err := rules.Check(c, domain.Today(time.Now))
	if err != nil {
		return fail(env, err)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return fail(env, err)
	}
	return exitOK
}

// rulesFlagError renders an error of the flag package in Vietnamese.
func rulesFlagError(err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "Không có tùy chọn " + rest
	}
	if rest, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return "Tùy chọn " + rest + " cần một giá trị"
	}
	return "Tham số không hợp lệ"
}

// decodeStrict reads one JSON value from r into v, refusing unknown
// fields and trailing data, with the Vietnamese messages of the API's
// decoder; name says where the JSON came from.
func decodeStrict(r io.Reader, v any, name string) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return domain.Errorf(domain.EBadRequest, "Thiếu nội dung JSON (%s trống)", name)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return domain.Errorf(domain.EBadRequest, "JSON không hợp lệ: %s kết thúc giữa chừng", name)
		case errors.As(err, &syn):
			return domain.Errorf(domain.EBadRequest, "JSON không hợp lệ ở vị trí %d", syn.Offset)
		case errors.As(err, &typ) && typ.Field == "":
			return domain.Errorf(domain.EInvalid, "Hồ sơ phải là một đối tượng JSON ({...})")
		case errors.As(err, &typ):
			return domain.Errorf(domain.EInvalid, "Trường %q có kiểu dữ liệu không đúng", typ.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return domain.Errorf(domain.EInvalid, "Trường không được hỗ trợ: %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		if _, ok := errors.AsType[*domain.Error](err); ok {
			return err
		}
		return domain.Errorf(domain.EBadRequest, "JSON không hợp lệ: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return domain.Errorf(domain.EBadRequest, "Chỉ gửi một đối tượng JSON")
	}
	return nil
}
