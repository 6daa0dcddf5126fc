package vn

// Compare orders free text (organization and place names) with Vietnamese
// collation, word order unchanged. Use CompareNames for people.
func Compare(a, b string) int {
	nc := getCollator()
	defer putCollator(nc)
	return nc.c.CompareString(Clean(a), Clean(b))
}
