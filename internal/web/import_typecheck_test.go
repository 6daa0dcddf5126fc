package web

// The import page's data type, for TestTemplatesTypeCheck.
func init() { pageData["import"] = &importView{} }
