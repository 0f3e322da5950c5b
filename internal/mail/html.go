package mail

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText derives plain text from (sanitized) HTML for the timeline:
// block elements end lines, <br> breaks one, and a <blockquote> (how
// Gmail, Apple Mail and Outlook on the web quote history) comes out as
// "> " lines, so TrimReply treats it like quoted text.
func htmlText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return ""
	}
	var b strings.Builder
	renderText(&b, doc)
	return normalizeText(collapseBlankLines(b.String()))
}

func renderText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		t := spaces.ReplaceAllString(n.Data, " ")
		if strings.HasSuffix(b.String(), "\n") || b.Len() == 0 {
			t = strings.TrimLeft(t, " ")
		}
		b.WriteString(t)
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Head, atom.Title:
			return
		case atom.Br:
			b.WriteString("\n")
			return
		case atom.Blockquote:
			var inner strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				renderText(&inner, c)
			}
			newline(b)
			for _, l := range strings.Split(strings.TrimSpace(collapseBlankLines(inner.String())), "\n") {
				b.WriteString("> " + l + "\n")
			}
			return
		}
	}
	block := n.Type == html.ElementNode && blocks[n.DataAtom]
	if block {
		newline(b)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		renderText(b, c)
	}
	if block {
		newline(b)
	}
}

var blocks = map[atom.Atom]bool{atom.P: true, atom.Div: true, atom.Li: true, atom.Tr: true, atom.Table: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Pre: true,
	atom.Ul: true, atom.Ol: true, atom.Hr: true}

func newline(b *strings.Builder) {
	if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
}

// collapseBlankLines keeps at most one blank line in a row.
func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if blank++; blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, strings.TrimRight(l, " "))
	}
	return strings.Join(out, "\n")
}
