#!/usr/bin/env python3
"""Extracts the prose of a bascule Markdown document, one paragraph, list item or
table cell per line, for grammar checkers (Grammalecte). Markup, URLs and code go."""
import re
import sys

def prose(md: str) -> str:
    out = []
    for line in md.splitlines():
        s = line.strip()
        if not s or s.startswith("|---") or s.startswith("!["):
            continue
        cells = [c.strip() for c in s.strip("|").split(" | ")] if s.startswith("|") else [s]
        for c in cells:
            c = re.sub(r"<[^>]+>", "", c)                   # raw HTML (swatches)
            c = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", c)  # links → text
            c = re.sub(r"^(#+|[-*]|\d+\.)\s+", "", c)       # headings, bullets
            c = c.replace("**", "").replace("\\", "")
            c = re.sub(r"https?://\S+", "", c).strip()
            if c:
                out.append(c)
    return "\n\n".join(out) + "\n"

if __name__ == "__main__":
    sys.stdout.write(prose(open(sys.argv[1], encoding="utf-8").read()))
