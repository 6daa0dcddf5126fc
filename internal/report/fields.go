package report

import (
	"regexp"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// Fields are the parts of the conference report the office may edit
// before downloading it: the header and signature lines, the recipients
// (one a line, after "Nơi nhận:") and sections II and III (one paragraph
// a line; a line such as "1. Hạn chế" is a sub-heading).
type Fields struct {
	Parent, Issuer, Number, Place string
	SignFor, SignerTitle, Signer  string
	Recipients, Weaknesses, Tasks string
}

// ptr is the field of f under a ReportText field's key.
func (f *Fields) ptr(key string) *string {
	switch key {
	case "parent":
		return &f.Parent
	case "issuer":
		return &f.Issuer
	case "number":
		return &f.Number
	case "place":
		return &f.Place
	case "sign_for":
		return &f.SignFor
	case "signer_title":
		return &f.SignerTitle
	case "signer":
		return &f.Signer
	case "recipients":
		return &f.Recipients
	case "weaknesses":
		return &f.Weaknesses
	case "tasks":
		return &f.Tasks
	}
	return nil
}

// EditField is one editable field as the editing page shows it.
type EditField struct {
	Key, Label string
	Lines      bool
	Max        int
	Draft      string // computed from the data
	Value      string // what the report uses: saved, or the draft
	Saved      bool   // the saved text differs from the draft
}

// EditFields lists the editable fields with their draft and the value the
// report uses, in the page's order.
func (c *Conference) EditFields() []EditField {
	var out []EditField
	var t domain.ReportText
	var saved []domain.ReportTextField
	if c.Saved != nil {
		saved = c.Saved.Fields()
	}
	for i, f := range t.Fields() {
		out = append(out, EditField{Key: f.Key, Label: f.Label, Lines: f.Lines, Max: f.Max, Draft: *c.Draft.ptr(f.Key),
			Value: *c.Fields.ptr(f.Key), Saved: saved != nil && *saved[i].Value != nil})
	}
	return out
}

// TextFrom is the text to save from what the page's form holds, by field
// key: a field left empty or equal to its draft (once both are cleaned as
// the service keeps them) follows the draft (nil); any other is passed on
// as typed, for the service to clean and check.
func (c *Conference) TextFrom(form map[string]string) domain.ReportText {
	var t domain.ReportText
	for _, f := range t.Fields() {
		typed, ok := form[f.Key]
		if !ok {
			continue
		}
		clean := vn.Clean
		if f.Lines {
			clean = vn.CleanLines
		}
		if v := clean(typed); v == "" || v == clean(*c.Draft.ptr(f.Key)) {
			continue
		}
		*f.Value = &typed
	}
	return t
}

// apply sets the fields the report uses: an option given (CLI flag, query
// parameter) over the saved text over the draft.
func (c *Conference) apply(o Options) {
	c.Fields = c.Draft
	if c.Saved != nil {
		for _, f := range c.Saved.Fields() {
			if *f.Value != nil {
				*c.Fields.ptr(f.Key) = **f.Value
			}
		}
	}
	for key, v := range map[string]string{"number": o.Number, "place": o.Place, "parent": o.Parent, "issuer": o.Issuer,
		"sign_for": o.SignFor, "signer_title": o.SignerTitle, "signer": o.Signer} {
		if v = strings.TrimSpace(v); v != "" {
			*c.Fields.ptr(key) = v
		}
	}
	if o.Number != "" {
		c.Fields.Number = numberLine(o.Number, committeeOf(c.Org).Suffix)
	}
	c.Parent, c.Issuer, c.Number, c.Place = c.Fields.Parent, c.Fields.Issuer, c.Fields.Number, c.Fields.Place
}

// subHeading is a line of an edited section that heads a part of it: a
// number or a letter and a dot or a bracket, a short title without a full
// stop ("1. Hạn chế", "b) Nguyên nhân").
var subHeading = regexp.MustCompile(`^([0-9]{1,2}|[a-zđ])[.)]\s+\S.{0,90}$`)

// textBlocks lays out an edited section's text under its heading: one
// paragraph a line, a sub-heading line starting a block of its own.
func textBlocks(heading, text string) []Block {
	blocks := []Block{{Heading: heading}}
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case subHeading.MatchString(l) && !strings.HasSuffix(l, ".") && !strings.HasSuffix(l, ";"):
			blocks = append(blocks, Block{Heading: l, Sub: true})
		default:
			last := &blocks[len(blocks)-1]
			last.Paras = append(last.Paras, l)
		}
	}
	return blocks
}
