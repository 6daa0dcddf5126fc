package httpx

import (
	"bytes"
	"container/list"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// A response cache (issue 15, item 4) for the read-heavy answers that are
// cheap to key: the dashboard, the progress report and its siblings. An
// answer is stored under its query (what the request asks and whose scope
// it is asked in) together with the data version it was computed at (the
// service's CacheStamp: the database's data version, which every committed
// write advances in its own transaction, and the day the defaults are
// taken from). It is served again only while the stamp is unchanged, so a
// write made through any server sharing the database is seen on the next
// request. The stamp is read before the answer is computed: the data read
// after it is at least as new, so the stored answer is never older than
// its stamp.
//
// The cache is per process and bounded by entries and bytes, the least
// recently used going first. Only complete 200 answers are kept.

// Cache is a bounded LRU of responses.
type Cache struct {
	mu         sync.Mutex
	maxEntries int
	maxBytes   int
	bytes      int
	ll         *list.List // front: most recently used
	m          map[string]*list.Element
	hits, miss int
}

type cached struct {
	key         string
	stamp       string
	contentType string
	body        []byte
}

func (e *cached) size() int { return len(e.body) + len(e.key) + len(e.stamp) + len(e.contentType) + 64 }

// NewCache returns a cache of at most maxEntries answers and maxBytes
// bytes; a zero or negative bound disables it (every request is computed).
func NewCache(maxEntries, maxBytes int) *Cache {
	return &Cache{maxEntries: maxEntries, maxBytes: maxBytes, ll: list.New(), m: map[string]*list.Element{}}
}

func (c *Cache) get(key, stamp string) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		c.miss++
		return nil
	}
	e := el.Value.(*cached)
	if e.stamp != stamp {
		c.miss++
		return nil
	}
	c.hits++
	c.ll.MoveToFront(el)
	return e
}

func (c *Cache) put(e *cached) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.size() > c.maxBytes/8 { // one answer may not take the whole cache
		return
	}
	if el, ok := c.m[e.key]; ok {
		c.bytes -= el.Value.(*cached).size()
		c.ll.Remove(el)
		delete(c.m, e.key)
	}
	c.m[e.key] = c.ll.PushFront(e)
	c.bytes += e.size()
	for c.ll.Len() > c.maxEntries || c.bytes > c.maxBytes {
		old := c.ll.Back()
		o := old.Value.(*cached)
		c.ll.Remove(old)
		delete(c.m, o.key)
		c.bytes -= o.size()
	}
}

// CacheStats is what a cache holds and how it has served.
type CacheStats struct{ Entries, Bytes, Hits, Misses int }

// Stats returns what the cache holds and how many lookups hit and missed.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Entries: c.ll.Len(), Bytes: c.bytes, Hits: c.hits, Misses: c.miss}
}

// Key builds a cache key from a name, the scope it is computed in and the
// named query parameters of r (absent ones included, as empty).
func Key(name, scope string, r *http.Request, params ...string) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteString("\x00")
	b.WriteString(scope)
	q := r.URL.Query()
	for _, p := range params {
		b.WriteString("\x00")
		b.WriteString(p)
		b.WriteString("=")
		b.WriteString(url.QueryEscape(q.Get(p)))
	}
	return b.String()
}

// Serve answers from the cache when it holds key at stamp; otherwise it
// runs compute on a buffer, copies the answer to w, and keeps it when
// compute wrote a 200. compute's error is returned as is (nothing was
// written to w then).
func (c *Cache) Serve(w http.ResponseWriter, key, stamp string, compute func(w http.ResponseWriter) error) error {
	if c == nil || c.maxEntries <= 0 || c.maxBytes <= 0 {
		return compute(w)
	}
	if e := c.get(key, stamp); e != nil {
		w.Header().Set("Content-Type", e.contentType)
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(e.body)
		return nil
	}
	rec := &recorder{header: http.Header{}}
	if err := compute(rec); err != nil {
		return err
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(rec.body.Bytes())
	if status == http.StatusOK {
		c.put(&cached{key: key, stamp: stamp, contentType: rec.header.Get("Content-Type"), body: bytes.Clone(rec.body.Bytes())})
	}
	return nil
}

// recorder is the buffer an answer is computed on.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
