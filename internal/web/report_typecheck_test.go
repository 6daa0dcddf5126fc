package web

// The conference report's page data type, for TestTemplatesTypeCheck.
func init() { pageData["conference"] = &conferenceView{} }
