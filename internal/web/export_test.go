package web

// SetAnalyticsRows sets how many rows of each long list the analytics
// page shows, for a test; restore puts the defaults back.
func SetAnalyticsRows(n int) (restore func()) {
	c, w, r := pageCommunes, pageWeak, pageResidence
	pageCommunes, pageWeak, pageResidence = n, n, n
	return func() { pageCommunes, pageWeak, pageResidence = c, w, r }
}
