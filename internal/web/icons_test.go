package web

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

//go:generate env KETNAP_WRITE_ICONS=1 go test -run TestIconsAreGenerated .

// The app's icons: its initials "KN" in white on the header's red
// (#a3120f), drawn as strokes, antialiased by supersampling. The plain
// icons are rounded squares; the maskable one fills the square and keeps
// the letters inside the central safe circle (40 % of the size).
var icons = []struct {
	file     string
	size     int
	maskable bool
}{
	{"icon-192.png", 192, false},
	{"icon-512.png", 512, false},
	{"icon-maskable-512.png", 512, true},
}

// TestIconsAreGenerated checks that the committed icons are the ones the
// drawing below gives; KETNAP_WRITE_ICONS=1 writes them (go generate).
func TestIconsAreGenerated(t *testing.T) {
	for _, ic := range icons {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, drawIcon(ic.size, ic.maskable)); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("static", ic.file)
		if os.Getenv("KETNAP_WRITE_ICONS") != "" {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := staticFS.ReadFile("static/" + ic.file)
		if err != nil {
			t.Fatalf("%s is not embedded: %v", ic.file, err)
		}
		if !bytes.Equal(got, buf.Bytes()) {
			t.Errorf("%s differs from its drawing: run go generate ./internal/web", ic.file)
		}
		img, err := png.Decode(bytes.NewReader(got))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != ic.size || b.Dy() != ic.size {
			t.Errorf("%s is %v, want %d × %d", ic.file, b, ic.size, ic.size)
		}
		// the centre of the K's stem is white, the middle of the top edge red
		scale := 0.52
		if ic.maskable {
			scale = 0.42
		}
		stem := int(float64(ic.size) * ((1-scale)/2 + 0.05*scale))
		if r, g, b, _ := img.At(stem, ic.size/2).RGBA(); r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
			t.Errorf("%s: the letters are not white at the K's stem: %d %d %d", ic.file, r>>8, g>>8, b>>8)
		}
		if r, g, b, _ := img.At(ic.size/2, 2).RGBA(); r>>8 != 0xa3 || g>>8 != 0x12 || b>>8 != 0x0f {
			t.Errorf("%s: the background is not the header's red: %d %d %d", ic.file, r>>8, g>>8, b>>8)
		}
	}
}

// drawIcon draws the icon of size × size pixels.
func drawIcon(size int, maskable bool) image.Image {
	const ss = 4 // samples per pixel side
	red := color.NRGBA{0xa3, 0x12, 0x0f, 0xff}
	s := float64(size)
	// the letters' box: unit coordinates scaled into the square
	scale := 0.52 // the plain icon: letters 52 % of the width
	if maskable {
		scale = 0.42 // inside the safe circle of radius 0.4
	}
	w := scale * s
	x0, y0 := (s-w)/2, (s-w*0.62)/2 // letters are 0.62 as tall as the pair is wide
	h := w * 0.62
	stroke := w * 0.085
	pt := func(x, y float64) [2]float64 { return [2]float64{x0 + x*w, y0 + y*h} }
	segs := [][2][2]float64{
		{pt(0.05, 0), pt(0.05, 1)},    // K stem
		{pt(0.05, 0.55), pt(0.42, 0)}, // K upper arm
		{pt(0.17, 0.42), pt(0.44, 1)}, // K leg
		{pt(0.58, 0), pt(0.58, 1)},    // N left
		{pt(0.58, 0), pt(0.95, 1)},    // N diagonal
		{pt(0.95, 0), pt(0.95, 1)},    // N right
	}
	radius := s * 0.18 // the plain icon's rounded corners
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var bg, ink int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := float64(px) + (float64(sx)+0.5)/ss
					y := float64(py) + (float64(sy)+0.5)/ss
					if !maskable && !inRoundedSquare(x, y, s, radius) {
						continue
					}
					bg++
					for _, sg := range segs {
						if segDist(x, y, sg[0], sg[1]) <= stroke/2 {
							ink++
							break
						}
					}
				}
			}
			if bg == 0 {
				continue
			}
			f := float64(ink) / float64(bg)
			mix := func(c uint8) uint8 { return uint8(math.Round(float64(c)*(1-f) + 255*f)) }
			img.SetNRGBA(px, py, color.NRGBA{mix(red.R), mix(red.G), mix(red.B), uint8(255 * bg / (ss * ss))})
		}
	}
	return img
}

func inRoundedSquare(x, y, s, r float64) bool {
	cx := math.Max(r, math.Min(s-r, x))
	cy := math.Max(r, math.Min(s-r, y))
	return math.Hypot(x-cx, y-cy) <= r
}

// segDist is the distance from (x, y) to the segment a–b.
func segDist(x, y float64, a, b [2]float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((x-a[0])*dx + (y-a[1])*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(x-(a[0]+t*dx), y-(a[1]+t*dy))
}
