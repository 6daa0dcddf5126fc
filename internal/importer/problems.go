package importer

import "slices"

// problemList keeps the first MaxProblems problems in row order (those of
// one row in the order they came) and counts the others: a file of 200,000
// wrong rows costs a thousand problems, not millions.
type problemList struct {
	list  []Problem
	total int
}

func byRow(a, b Problem) int { return a.Row - b.Row }

func (l *problemList) add(p Problem) {
	l.total++
	l.list = append(l.list, p)
	if len(l.list) >= 2*MaxProblems {
		l.trim()
	}
}

// trim sorts the list by row, stably, and drops what lies past MaxProblems:
// problems that came later sort after the kept ones of the same row.
func (l *problemList) trim() {
	slices.SortStableFunc(l.list, byRow)
	if len(l.list) > MaxProblems {
		clear(l.list[MaxProblems:])
		l.list = l.list[:MaxProblems]
	}
}

// sorted returns the kept problems in row order.
func (l *problemList) sorted() []Problem {
	l.trim()
	return l.list
}

// set puts the problems into r: the first MaxProblems and the count of the
// others.
func (l *problemList) set(r *Result) {
	r.Errors = append([]Problem{}, l.sorted()...)
	r.MoreErrors = l.total - len(r.Errors)
}

// merge returns the problems of a and b (each in row order) in row order,
// a's first on a row both have, the first MaxProblems of them.
func merge(a, b []Problem) []Problem {
	out := make([]Problem, 0, min(len(a)+len(b), MaxProblems))
	for len(out) < MaxProblems && (len(a) > 0 || len(b) > 0) {
		if len(b) == 0 || (len(a) > 0 && a[0].Row <= b[0].Row) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}
