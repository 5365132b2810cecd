package analysis

// ForgetExports empties the cache of export data locations, so that the
// next Run costs what the first Run of a fresh netbook process costs.
func ForgetExports() {
	exportCache.Lock()
	defer exportCache.Unlock()
	clear(exportCache.byDir)
}
