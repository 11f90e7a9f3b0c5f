"""Bytes to text, whatever the encoding; HTML pages to text plus their tables.

Text: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise strict UTF-8, then GB18030 (a superset of
GBK/GB2312, the usual legacy encoding of these portals), then charset-normalizer's best guess.
HTML: scripts, styles and navigation are dropped, block elements become line breaks, and every
innermost `<table>` is kept twice: as a grid with rowspan/colspan expanded (`Document.tables`)
and, in the text at its position, as pipe rows `| a | b | c |` (one entry per printed cell).
"""
from __future__ import annotations

import functools
import re

from .normalize import normalize_text
from .records import Document


class DecodeError(ValueError):
    """The file cannot be read as a report (empty, binary, undecodable)."""


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_HTML_SNIFF = re.compile(rb"<\s*(?:!doctype\s+html|html|body|table|div|p)[\s>]", re.I)


def decode_bytes_to_str(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises DecodeError for empty or binary input."""
    if not data or not data.strip():
        raise DecodeError("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc.replace("-sig", "")), enc
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {enc} after byte-order mark: {exc}") from exc
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM shows NULs in every other byte; anything else is binary.
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _mostly_text(text):
                return text, enc
        raise DecodeError("binary file (NUL bytes, not UTF-16 text)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _mostly_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("undecodable bytes: no text encoding fits")
    text = str(best)
    if not _mostly_text(text):
        raise DecodeError(f"binary file (best guess {best.encoding} gives no text)")
    return text, best.encoding


def _mostly_text(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    return bad / len(sample) < 0.01


def is_html(data_or_text: bytes | str, filename: str = "") -> bool:
    if filename.lower().endswith((".html", ".htm", ".shtml")):
        return True
    head = data_or_text[:4096]
    if isinstance(head, str):
        if "<" not in head:
            return False        # every tag the sniffer looks for opens with '<'
        head = head.encode("utf-8", "ignore")
    return bool(_HTML_SNIFF.search(head))


def decode(data: bytes, filename: str = "") -> Document:
    """Decode a report file into a normalised Document."""
    raw_text, enc = decode_bytes_to_str(data)
    if is_html(raw_text, filename):
        text, tables = html_to_text_and_tables(raw_text)
        cell = functools.lru_cache(maxsize=None)(normalize_text)   # spans repeat a cell's text
        return Document(text=normalize_text(text), encoding=enc, doc_type="html",
                        tables=[[[cell(c) for c in row] for row in t] for t in tables])
    return Document(text=normalize_text(raw_text), encoding=enc, doc_type="text")


# ---------------------------------------------------------------- HTML
_DROP_TAGS = {"script", "style", "noscript", "head", "nav", "iframe", "select", "option", "button", "svg"}
_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "header", "footer", "dd", "dt", "dl", "form", "center", "blockquote", "hr"}


_CELL_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_LINE_SPACE = re.compile(r"[ \t\u00a0\u3000]+")
_LINE_BREAKS = re.compile(r" *\n[ \n]*")


def _cell_text(td) -> str:
    parts: list[str] = []
    for node in td.iter():
        if node.tag in ("br", "p", "div") and parts:
            parts.append("")  # inner breaks inside a cell join without space (labels, numbers)
        if node.text and node is not td and node.tag not in _DROP_TAGS:
            parts.append(node.text)
        elif node is td and td.text:
            parts.append(td.text)
        if node is not td and node.tail:
            parts.append(node.tail)
    s = "".join(parts)
    return _CELL_SPACE.sub(" ", s).strip()


def _grid(table) -> tuple[list[list[str]], list[list[str]]]:
    """Expand rowspan/colspan into a rectangular grid of cell texts; also the texts of each row's
    own cells, as printed (the pipe rows of the text), so every cell is read once."""
    rows = [tr for tr in table.iter("tr") if _closest_table(tr) is table]
    grid: list[list[str]] = []
    printed: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(rows):
        row: list[str] = []
        c = 0
        cells = [td for td in tr if td.tag in ("td", "th")]
        texts = [_cell_text(td) for td in cells]
        printed.append(texts)
        for td, text in zip(cells, texts):
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            try:
                cs = max(1, int(td.get("colspan", "1") or 1))
                rs = max(1, int(td.get("rowspan", "1") or 1))
            except ValueError:
                cs = rs = 1
            for dc in range(cs):
                row.append(text)
                for dr in range(1, rs):
                    pending[(r + dr, c + dc)] = text
            c += cs
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        grid.append(row)
    return grid, printed


def _closest_table(el):
    p = el.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def html_to_text_and_tables(html: str) -> tuple[str, list[list[list[str]]]]:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception as exc:  # lxml raises ParserError on empty documents
        raise DecodeError(f"unparseable HTML: {exc}") from exc
    for bad in list(root.iter(*_DROP_TAGS)):
        if bad.getparent() is not None:
            bad.drop_tree()
    tables: list[list[list[str]]] = []
    out: list[str] = []

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table" and not any(True for _ in el.iterdescendants("table")):
            grid, printed = _grid(el)
            if any(any(c for c in row) for row in grid):
                tables.append(grid)
                out.append("\n")
                for cells in printed:
                    out.append("| " + " | ".join(cells) + " |\n")
                out.append("\n")
            if el.tail:
                out.append(el.tail)
            return
        if tag in _BLOCK_TAGS or tag in ("tr", "table"):
            out.append("\n")
        if el.text and tag:
            out.append(el.text)
        for child in el:
            walk(child)
        if tag in _BLOCK_TAGS or tag in ("td", "th"):
            out.append("\n" if tag != "td" and tag != "th" else " ")
        if el.tail:
            out.append(el.tail)

    walk(root)
    text = "".join(out)
    text = _LINE_SPACE.sub(" ", text)
    text = _LINE_BREAKS.sub("\n", text)
    return text.strip() + "\n", tables
