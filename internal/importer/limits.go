package importer

import "ketnap/internal/service"

// The limits of an import (issue 13, item 1). A file over one is refused
// as a whole, early, with a Vietnamese message: the archive's declared
// sizes are checked before anything is unzipped, the data sheet and the
// shared strings are walked once without building their XML (scan.go)
// before excelize reads them, and the rows are read one at a time and
// counted as they come. Any upload up to MaxSize keeps the process within
// a few hundred megabytes; BENCHMARKS.md has the figures.
const (
	// MaxRows is the most data rows a file may have (blank rows aside).
	MaxRows = 200_000
	// MaxColumns is the most columns a row may fill.
	MaxColumns = 100
	// MaxCellBytes is the longest a cell's text may be, in bytes (UTF-8).
	MaxCellBytes = 32 << 10
	// MaxProblems is how many problems a result lists; the count of the
	// others is Result.MoreErrors. The service keeps as many of its own.
	MaxProblems = service.ImportMaxProblems
)

// Bounds on the archive, checked from its directory before anything is
// unzipped, and on the XML of the parts that are read.
const (
	// maxEntries is the most files the archive may hold.
	maxEntries = 10_000
	// maxUnzipped bounds the sum of the declared sizes of every file of
	// the archive once unzipped.
	maxUnzipped = 640 << 20
	// maxSheetXML bounds a worksheet once unzipped: larger ones are
	// refused before they are unzipped.
	maxSheetXML = 512 << 20
	// maxSharedStrings bounds the shared-strings table once unzipped.
	maxSharedStrings = 128 << 20
	// maxSharedItems bounds the number of strings in that table: excelize
	// keeps an offset pair for each.
	maxSharedItems = 1_000_000
	// inMemoryXML is excelize's UnzipXMLSizeLimit: a worksheet or a
	// shared-strings table above it is unzipped to a temporary file and
	// read from there, one row or one string at a time; below it, kept in
	// memory. The other parts are always kept in memory, so maxInMemory
	// bounds their sum (with the small worksheets and table).
	inMemoryXML = 2 << 20
	maxInMemory = 32 << 20
	// maxRawCell bounds the XML of one cell (or of one shared string, or
	// one tag, text or comment anywhere in those parts): a cell of
	// MaxCellBytes fits with its markup and escapes. The XML decoder never
	// holds more than this at once.
	maxRawCell = 256 << 10
)
