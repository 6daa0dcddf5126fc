package web

// The reorganisation page's data type, for TestTemplatesTypeCheck.
func init() { pageData["reorg"] = &reorgView{} }
