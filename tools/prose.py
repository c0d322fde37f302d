#!/usr/bin/env python3
"""Extracts the prose of a bascule Markdown document, one paragraph, list item or
table cell per line, for grammar checkers (Grammalecte). Markup, URLs, host names and code
go; the lines of one paragraph (a writer's section wraps its lines) are joined."""
import re
import sys

# A host name: labels joined by dots, the last one with a letter (glpi.ville.example).
HOST = re.compile(r"\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z][A-Za-z0-9-]*\b")
STARTS_BLOCK = re.compile(r"^(#+|[-*]|\d+\.|>)\s+")

def clean(c: str) -> str:
    c = re.sub(r"<[^>]+>", "", c)                   # raw HTML (swatches)
    c = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", c)  # links → text
    c = STARTS_BLOCK.sub("", c)                     # headings, bullets, quotes
    c = c.replace("**", "").replace("\\", "")
    c = re.sub(r"https?://[^\s)]+", "adresse", c)
    c = re.sub(r"`[^`]*`", "code", c)               # inline code
    c = HOST.sub("serveur", c)
    return c.strip()

def blocks(md: str):
    current = []
    for line in md.splitlines():
        s = line.strip()
        if not s or s.startswith("|---") or s.startswith("!["):
            if current:
                yield " ".join(current)
            current = []
        elif s.startswith("|"):
            if current:
                yield " ".join(current)
            current = []
            yield from (c.strip() for c in s.strip("|").split(" | "))
        elif STARTS_BLOCK.match(s) or not current:
            if current:
                yield " ".join(current)
            current = [s]
        else:
            current.append(s)
    if current:
        yield " ".join(current)

def prose(md: str) -> str:
    out = [c for c in (clean(b) for b in blocks(md)) if c]
    return "\n\n".join(out) + "\n"

def plain(text: str) -> str:
    """A ticket's text as it is, but for URLs and host names."""
    text = re.sub(r"https?://[^\s)]+", "adresse", text)
    return HOST.sub("serveur", text)

if __name__ == "__main__":
    if sys.argv[1] == "--plain":
        sys.stdout.write(plain(open(sys.argv[2], encoding="utf-8").read()))
    else:
        sys.stdout.write(prose(open(sys.argv[1], encoding="utf-8").read()))
