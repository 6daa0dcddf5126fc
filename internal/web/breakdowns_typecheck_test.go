package web

func init() {
	pageData["breakdowns"] = breakdownsView{}
}
