"""Reading the statistics pages back: tables by id, and every figure's link with its count."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[tuple[str, int]] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = str(a["id"]).removeprefix("table-")
            self.tables[self._table] = []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and a.get("data-count") is not None:
            self.links.append((str(a["href"]), int(str(a["data-count"]))))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._in_caption:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """{table id without "table-": [header row, body rows...] as cell texts}."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def figure_links(html: str) -> list[tuple[str, int]]:
    """(href, count shown) of every figure that links to its matters."""
    parser = _Tables()
    parser.feed(html)
    return parser.links


def body(table: list[list[str]]) -> dict[str, list[str]]:
    """Body rows keyed by their first cell."""
    return {row[0]: row[1:] for row in table[1:]}
