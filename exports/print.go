package exports

import (
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Page is what every printed page of a workbook says about itself.
type Page struct {
	Organisation string    // the service organisation
	Title        string    // what the workbook is: the engagement's name, "Tasks"
	Generated    time.Time // when the file was written
}

// maxHeaderPart keeps a header or footer within Excel's 255 characters
// with room for the codes around the parts.
const maxHeaderPart = 70

// pageSetup makes a sheet print legibly in Excel and LibreOffice:
// landscape, one page wide, the header row repeated on every page, a page
// header naming the organisation, the workbook and the sheet, and a footer
// with "Page N of M" and the generation time. It must run before the
// sheet's stream writer is made, which writes the sheet properties first.
func pageSetup(f *excelize.File, sheet string, p Page) error {
	one, zero, landscape := 1, 0, "landscape"
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: boolPtr(true)}); err != nil {
		return err
	}
	// FitToHeight 0: as many pages down as the rows need.
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	narrow, edge := 0.4, 0.25
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &narrow, Right: &narrow, Top: floatPtr(0.6),
		Bottom: floatPtr(0.6), Header: &edge, Footer: &edge}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + headerText(p.Organisation) + "&C" + headerText(p.Title) + "&R&A",
		OddFooter: "&LPage &P of &N&RGenerated " + p.Generated.UTC().Format("2006-01-02 15:04") + " UTC",
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$1"})
}

// headerText quotes a value for a page header: "&" starts a code there,
// so it is doubled, and the value is kept short enough for Excel.
func headerText(s string) string {
	s = strings.Join(strings.Fields(Neutralize(s)), " ")
	if r := []rune(s); len(r) > maxHeaderPart {
		s = string(r[:maxHeaderPart-1]) + "…"
	}
	return strings.ReplaceAll(s, "&", "&&")
}

func floatPtr(f float64) *float64 { return &f }
