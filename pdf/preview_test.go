package pdf_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"arendestod/app"
	"arendestod/pdf"
)

// grey returns the luminance of every pixel of img, 0 (black) to 1.
func grey(img image.Image) ([]float64, image.Rectangle) {
	b := img.Bounds()
	out := make([]float64, 0, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			out = append(out, (0.299*float64(r)+0.587*float64(g)+0.114*float64(bl))/65535)
		}
	}
	return out, b
}

// pdftoppmPages draws a PDF with poppler at dpi.
func pdftoppmPages(t *testing.T, doc []byte, dpi string) []image.Image {
	t.Helper()
	needTool(t, "pdftoppm")
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", dpi, in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	var imgs []image.Image
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img)
	}
	return imgs
}

// blocks averages g (w wide) over n×n squares.
func blocks(g []float64, b image.Rectangle, n int) []float64 {
	w, h := b.Dx(), b.Dy()
	bw, bh := (w+n-1)/n, (h+n-1)/n
	sum := make([]float64, bw*bh)
	cnt := make([]float64, bw*bh)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := (y/n)*bw + x/n
			sum[i] += g[y*w+x]
			cnt[i]++
		}
	}
	for i := range sum {
		sum[i] /= cnt[i]
	}
	return sum
}

// compare returns the mean absolute difference of two pages' pixels and
// the largest difference of their 8×8-pixel averages: a missing or
// misplaced line of text shows in the second.
func compare(t *testing.T, a, b image.Image) (mean, worst float64) {
	t.Helper()
	ga, ba := grey(a)
	gb, bb := grey(b)
	if ba.Dx() != bb.Dx() || ba.Dy() != bb.Dy() {
		t.Fatalf("sizes differ: %v and %v", ba, bb)
	}
	for i := range ga {
		d := ga[i] - gb[i]
		if d < 0 {
			d = -d
		}
		mean += d
	}
	mean /= float64(len(ga))
	xa, xb := blocks(ga, ba, 8), blocks(gb, bb, 8)
	for i := range xa {
		d := xa[i] - xb[i]
		if d < 0 {
			d = -d
		}
		worst = max(worst, d)
	}
	return mean, worst
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Limits of TestPreviewMatchesPDF, measured: anti-aliasing and glyph
// edges differ by about 0.02 on average and 0.07 in the worst 8×8 block; a
// missing footer line alone makes that block 0.15.
const (
	maxMean  = 0.035
	maxBlock = 0.11
)

// The preview is the page as poppler draws the PDF: same size, every
// text, box and line in its place (anti-aliasing aside), on every page of
// every document, the copy's watermark included.
func TestPreviewMatchesPDF(t *testing.T) {
	in := loadIntyg(t)
	dir := os.Getenv("INTYG_PNG_DIR")
	for _, k := range pdf.Kinds() {
		t.Run(k.String(), func(t *testing.T) {
			want := pdftoppmPages(t, render(t, k, in), "60")
			got, err := pdf.Pages(k, in, 60)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d pages, the PDF has %d", len(got), len(want))
			}
			for i := range got {
				mean, worst := compare(t, got[i], want[i])
				t.Logf("page %d: mean difference %.4f, worst 8×8 block %.3f", i+1, mean, worst)
				if mean > maxMean || worst > maxBlock {
					t.Errorf("page %d differs from poppler's: mean %.4f, worst block %.3f", i+1, mean, worst)
				}
				if dir != "" {
					writePNG(t, filepath.Join(dir, "preview-"+k.String()+".png"), got[i])
					writePNG(t, filepath.Join(dir, "poppler-"+k.String()+".png"), want[i])
				}
			}
		})
	}
}

// The comparison sees a difference that matters: the original's preview
// is not the copy, whose band and watermark it lacks.
func TestPreviewComparisonIsSensitive(t *testing.T) {
	in := loadIntyg(t)
	kopia := pdftoppmPages(t, render(t, pdf.Kopia, in), "60")
	original, err := pdf.Pages(pdf.Original, in, 60)
	if err != nil {
		t.Fatal(err)
	}
	if mean, worst := compare(t, original[0], kopia[0]); mean <= maxMean && worst <= maxBlock {
		t.Errorf("the original passes as the copy: mean %.4f, worst block %.3f", mean, worst)
	}
}

// Several pages: each is drawn, with its own page number.
func TestPreviewPages(t *testing.T) {
	in := loadIntyg(t)
	in.Periods = nil
	for i := range 30 {
		d := app.D(2026, time.October, 25).AddDays(i).String()
		in.Periods = append(in.Periods, app.IntygPeriod{From: d, To: d, Percent: app.IntygPercents[i%5]})
	}
	want := pdftoppmPages(t, render(t, pdf.Original, in), "50")
	got, err := pdf.Pages(pdf.Original, in, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) < 2 {
		t.Fatalf("%d pages, the PDF has %d", len(got), len(want))
	}
	for i := range got {
		if mean, worst := compare(t, got[i], want[i]); mean > maxMean || worst > maxBlock {
			t.Errorf("page %d differs from poppler's: mean %.4f, worst block %.3f", i+1, mean, worst)
		}
	}
}

func TestPreviewRefuses(t *testing.T) {
	in := loadIntyg(t)
	in.Child.Name = ""
	if _, err := pdf.Pages(pdf.Original, in, 60); err == nil {
		t.Error("an invalid intyg was drawn")
	}
	if _, err := pdf.Pages(pdf.Original, loadIntyg(t), 0); err == nil {
		t.Error("0 dpi accepted")
	}
	if _, err := (pdf.Renderer{}).PreviewIntyg(loadIntyg(t), "annat.pdf", 60); err == nil {
		t.Error("an unknown document was drawn")
	}
	imgs, err := (pdf.Renderer{}).PreviewIntyg(loadIntyg(t), app.IntygFoljebrevFile, 100)
	if err != nil || len(imgs) != 1 || imgs[0].Bounds().Dx() != 827 || imgs[0].Bounds().Dy() != 1170 {
		t.Errorf("följebrev at 100 dpi: %v, %v", imgs, err)
	}
}
