package report

import (
	"context"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// The header and the signature of a party committee's report (HD 36-HD/VPTW,
// "thể thức văn bản của Đảng"): on the left the committee above, the issuing
// committee, a star and the number ("ĐẢNG BỘ TỈNH ĐẮK LẮK" / "HUYỆN ỦY
// KRÔNG PẮC" / "*" / "Số    -BC/HU"); on the right "ĐẢNG CỘNG SẢN VIỆT
// NAM" and the place-date line; at the end the recipients on the left and
// "T/M BAN THƯỜNG VỤ" / the position / the name on the right.

// committee is how a unit's name reads as the body that issues its
// documents.
type committee struct {
	Level  string // "province", "district", "commune", "chapter"
	Upper  string // "HUYỆN ỦY KRÔNG PẮC", "ĐẢNG ỦY XÃ EA PHÊ", "CHI BỘ THÔN 1"
	Short  string // "Huyện ủy", "Đảng ủy", "Chi bộ": in "Lưu Văn phòng Huyện ủy"
	Title  string // "Huyện ủy Krông Pắc", "Đảng ủy xã Ea Phê", "Chi bộ thôn 1"
	Suffix string // the number's: "HU", "TU", "QU", "ĐU", "CB"
	Place  string // "Krông Pắc", "Ea Phê"; "" for a chapter or an agency
}

// committeeOf names the committee of a unit from its name: "Đảng bộ huyện
// Krông Pắc" → "HUYỆN ỦY KRÔNG PẮC", "Đảng bộ tỉnh Đắk Lắk" → "TỈNH ỦY ĐẮK
// LẮK", "Đảng bộ xã Ea Phê" → "ĐẢNG ỦY XÃ EA PHÊ", "Đảng bộ Công an huyện" →
// "ĐẢNG ỦY CÔNG AN HUYỆN", "Chi bộ thôn 1" → "CHI BỘ THÔN 1".
func committeeOf(o *domain.Org) committee {
	name := o.Name
	for _, x := range []struct{ prefix, title, suffix, level string }{
		{"Đảng bộ tỉnh ", "Tỉnh ủy", "TU", "province"},
		{"Đảng bộ thành phố ", "Thành ủy", "TU", "province"},
		{"Đảng bộ huyện ", "Huyện ủy", "HU", "district"},
		{"Đảng bộ thị xã ", "Thị ủy", "TU", "district"},
		{"Đảng bộ quận ", "Quận ủy", "QU", "district"},
	} {
		if rest, ok := strings.CutPrefix(name, x.prefix); ok {
			return committee{Level: x.level, Upper: upper(x.title + " " + rest), Short: x.title, Title: x.title + " " + rest,
				Suffix: x.suffix, Place: rest}
		}
	}
	if rest, ok := strings.CutPrefix(name, "Đảng bộ "); ok {
		c := committee{Level: "commune", Upper: upper("Đảng ủy " + rest), Short: "Đảng ủy", Title: "Đảng ủy " + rest, Suffix: "ĐU"}
		for _, p := range []string{"xã ", "phường ", "thị trấn ", "đặc khu "} {
			if place, ok := strings.CutPrefix(rest, p); ok {
				c.Place = place
			}
		}
		return c
	}
	if rest, ok := strings.CutPrefix(name, "Chi bộ "); ok {
		return committee{Level: "chapter", Upper: upper("Chi bộ " + rest), Short: "Chi bộ", Title: "Chi bộ " + rest, Suffix: "CB"}
	}
	c := committee{Level: levelOf(o.Kind), Upper: upper(name), Short: name, Title: name, Suffix: "CB"}
	if c.Level != "chapter" {
		c.Suffix = "ĐU"
	}
	return c
}

// numberLine is the number line of a report: "Số      -BC/HU" with room to
// write the number by hand, or with a number given alone ("15" → "Số
// 15-BC/HU"); any other text is kept as written.
func numberLine(given, suffix string) string {
	given = strings.TrimSpace(given)
	if given == "" {
		return "Số      -BC/" + suffix
	}
	if strings.Trim(given, "0123456789") == "" {
		return "Số " + given + "-BC/" + suffix
	}
	return given
}

// draftHeader is the header, signature and recipients the report gets
// from its unit and the unit above it in the tree of the report's day.
func (c *Conference) draftHeader(ctx context.Context, svc *service.Service) error {
	me := committeeOf(c.Org)
	parent, err := svc.ParentOn(ctx, c.Org, c.Progress.TreeDay)
	if err != nil {
		return err
	}
	var above *committee
	d := &c.Draft
	if parent != nil {
		d.Parent = upper(parent.Name)
		x := committeeOf(parent)
		above = &x
	}
	d.Issuer = me.Upper
	d.Number = numberLine("", me.Suffix)
	d.Place = me.Place
	if d.Place == "" && above != nil {
		// a chapter or an agency's committee dates its reports where its
		// committee above sits
		d.Place = above.Place
	}
	switch me.Level {
	case "province", "district":
		d.SignFor = "T/M BAN THƯỜNG VỤ"
	case "commune":
		d.SignFor = "T/M ĐẢNG ỦY"
	default:
		d.SignFor = "T/M CHI BỘ"
	}
	d.SignerTitle = "PHÓ BÍ THƯ"
	var rec []string
	switch {
	case above == nil:
		rec = append(rec, "- Cấp ủy cấp trên (để báo cáo),")
	case above.Level == "province" || above.Level == "district":
		rec = append(rec, "- Ban Thường vụ "+above.Short+" (để báo cáo),", "- Ban Tổ chức "+above.Short+" (để báo cáo),")
	default:
		rec = append(rec, "- "+above.Title+" (để báo cáo),")
	}
	switch me.Level {
	case "province", "district":
		rec = append(rec, "- Các đồng chí "+me.Short+" viên,")
	case "commune":
		rec = append(rec, "- Các đồng chí đảng ủy viên,")
	}
	if len(c.Units) > 0 {
		rec = append(rec, "- Các chi bộ, đảng bộ trực thuộc,")
	}
	switch me.Level {
	case "chapter":
		rec = append(rec, "- Lưu Chi bộ.")
	default:
		rec = append(rec, "- Lưu Văn phòng "+me.Short+".")
	}
	d.Recipients = strings.Join(rec, "\n")
	return nil
}

// levelOf is the committee level of a unit's kind, for a name that does
// not say it.
func levelOf(k domain.OrgKind) string {
	switch k {
	case domain.KindProvince:
		return "province"
	case domain.KindDistrict:
		return "district"
	case domain.KindCommune, domain.KindGrassroots, domain.KindSubCommittee:
		return "commune"
	}
	return "chapter"
}
