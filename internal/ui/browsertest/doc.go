// Package browsertest drives Rapport's web UI in headless Chromium (Debian's
// /usr/bin/chromium) through chromedp, over the real server handler on a
// fresh database, and checks every page with axe-core from npm.
//
// Controls are found as a screen reader names them: by role and accessible
// name in Chromium's accessibility tree, never by CSS selector, so a test
// passes only when a label is really tied to its input. The tests skip,
// saying why, when Chromium or node_modules/axe-core is missing, except
// when CI=true, where they fail. RAPPORT_SCREENSHOTS=DIR saves the pages'
// screenshots there (make screenshots writes docs/screenshots).
package browsertest
