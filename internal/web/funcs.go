package web

import (
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"net/url"
	"strconv"
	"sync"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// codeNames is the shape of the domain's lists of codes with Vietnamese
// names (stages, education levels, occupations).
type codeNames = []struct{ Code, Name string }

// funcs are the template helpers: Vietnamese formats and names.
var funcs = template.FuncMap{
	"pct":      vn.PercentPtr,
	"pctv":     vn.Percent,
	"num":      vn.Int,
	"nump":     numPtr,
	"dec":      decimal,
	"decp":     decimalPtr,
	"date":     vn.Date,
	"datetime": vn.DateTime,
	"action":   service.AuditActionName,
	"entity":   service.AuditEntityName,
	"datep":    datePtr,
	"iso":      iso,
	"isop":     isoPtr,
	"stage":    domain.StageName,
	"origin":   func(o string) string { return domain.OriginNames[o] },
	"edu":      domain.EducationName,
	"occ":      domain.OccupationName,
	"role":     domain.RoleName,
	"ethnic":   ethnicName,
	"religion": religionName,
	"class":    func(c string) string { return progress.ClassNames[c] },
	"sex":      sexName,
	"href":     href,
	"add":      func(a, b int) int { return a + b },
	"dash":     func() string { return vn.Placeholder },
	"vdate":    isoToVN,
	"asset":    asset,
	"ferr":     fieldErr,
	"finv":     fieldInvalid,
}

// fieldErr shows the error of a form field next to it.
func fieldErr(errs map[string]string, field string) template.HTML {
	msg, ok := errs[field]
	if !ok {
		return ""
	}
	return template.HTML(`<p class="field-error" id="err-` + template.HTMLEscapeString(field) + `">` +
		template.HTMLEscapeString(msg) + `</p>`)
}

// fieldInvalid marks an input whose value was refused and links it to
// its message for screen readers.
func fieldInvalid(errs map[string]string, field string) template.HTMLAttr {
	if _, ok := errs[field]; !ok {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="err-` + template.HTMLEscapeString(field) + `"`)
}

func numPtr(n *int) string {
	if n == nil {
		return vn.Placeholder
	}
	return vn.Int(*n)
}

// decimal prints a number with two decimals the Vietnamese way: 1,25.
// decimal prints a quantity that is not a percentage (an average age,
// admissions a month) by the house rule, one decimal (vn.Decimal), as the
// reports and the CLI print it.
func decimal(x float64) string { return vn.Decimal(x) }

func decimalPtr(x *float64) string { return vn.DecimalPtr(x) }

func datePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return vn.Date(*t)
}

// iso prints a date for <input type="date"> and links.
func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(domain.DateLayout)
}

func isoPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return iso(*t)
}

func ethnicName(code string) string {
	if e, ok := vn.EthnicityByCode(code); ok {
		return e.Name
	}
	return code
}

func religionName(code string) string {
	if x, ok := vn.ReligionByCode(code); ok {
		return x.Name
	}
	return code
}

func sexName(s string) string {
	switch s {
	case domain.Male:
		return "Nam"
	case domain.Female:
		return "Nữ"
	}
	return s
}

// href builds a local URL from a path and key/value pairs, leaving out
// empty values: href "/" "org" "x" "year" 2024 → "/?org=x&year=2024".
func href(p string, kv ...any) template.URL {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		var v string
		switch x := kv[i+1].(type) {
		case string:
			v = x
		case int:
			if x != 0 {
				v = strconv.Itoa(x)
			}
		case int64:
			if x != 0 {
				v = strconv.FormatInt(x, 10)
			}
		case time.Time:
			v = iso(x)
		}
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return template.URL(p)
	}
	return template.URL(p + "?" + q.Encode())
}

// ageOn returns the age in whole years on day d.
func ageOn(birth, d time.Time) int {
	if birth.IsZero() {
		return 0
	}
	age := d.Year() - birth.Year()
	if d.Month() < birth.Month() || (d.Month() == birth.Month() && d.Day() < birth.Day()) {
		age--
	}
	return age
}

// isoToVN prints a YYYY-MM-DD text as dd/mm/yyyy ("" stays "").
func isoToVN(s string) string {
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		return s
	}
	return vn.Date(t)
}

// assetHashes are the content hashes of the static files, computed once.
var assetHashes sync.Map

// asset returns the URL of a static file with its content hash, so that
// browsers cache it until it changes: asset "app.css" → "/static/app.css?v=1a2b3c4d".
func asset(name string) string {
	if v, ok := assetHashes.Load(name); ok {
		return v.(string)
	}
	u := "/static/" + name
	if b, err := staticFS.ReadFile("static/" + name); err == nil {
		sum := sha256.Sum256(b)
		u += "?v=" + hex.EncodeToString(sum[:4])
	}
	assetHashes.Store(name, u)
	return u
}
