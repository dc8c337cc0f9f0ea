package web

// SafeNext exposes safeNext to the package's external tests.
var SafeNext = safeNext
