"""Chinese full-text search over matters' titles and content, in the database's own index.

Chinese has no spaces between words, and staff search for any substring: a company name, a
village, a two-character word such as 拖欠. Trigram indexes cannot serve two characters (SQLite's
FTS5 trigram tokenizer needs three; pg_trgm extracts no trigram from a two-character pattern and,
under the C locale, may not see CJK characters as word characters at all). So the text is indexed
as overlapping character bigrams ("双井村" → "双井 井村"), and a query is the phrase of its own
bigrams: every substring of two or more characters is found, with the same code on both
databases.

- SQLite: a contentless FTS5 table (unicode61 tokenizer) whose rowid is the matter's id. The
  bigrams are computed here, in Python, so FTS5 only splits them on spaces.
- PostgreSQL: a table of `tsvector` documents with a GIN index. The document and the query are
  written as tsvector / tsquery literals (`'双井':1 '井村':2`, `'双井' <-> '井村'`), so no text
  search parser or locale is involved.

The index is kept in step by signals in this app (signals.py), not by database triggers:
SQLite's triggers cannot compute bigrams (no loops, no CTEs inside a trigger), and one Python
tokenizer for both databases means a query is tokenized exactly like the text it searches.
A matter's title and content never change after registration (no service edits them); should a
full save() ever change them, the old bigrams are removed first (pre_save reads the old text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL

SQLITE_TABLE = "desk_matter_fts"
PG_TABLE = "desk_matter_search"
# PostgreSQL keeps word positions up to 16383 (later ones are stored as 16383), at most 256
# positions per lexeme, and a tsvector of at most 1 MB. So that both databases find exactly the
# same matters, only the first INDEXED_CHARS characters of title + content are indexed (fewer
# positions than 16383), and a bigram's occurrences after its MAX_POSITIONS-th are left out on
# both (their positions stay empty, like GAP).
PG_MAX_POSITION = 16383
INDEXED_CHARS = 10_000
MAX_POSITIONS = 256
_RUN = re.compile(r"[^\W_]+")
# Takes a position between runs of text. A private-use character: FTS5's unicode61 counts it as
# a token character (category Co), and nobody types it into a search box.
GAP = "\ue000"


class QueryTooShort(ValueError):
    """A query without two adjacent letters or digits cannot be looked up in a bigram index."""


def _runs(text: str) -> list[str]:
    """Runs of letters and digits, normalised (full-width to half-width, lower case)."""
    return _RUN.findall(unicodedata.normalize("NFKC", text).lower())


def bigrams(text: str) -> list[str]:
    """The index tokens of a text: each run's overlapping bigrams; a lone character alone.

    Runs are separated by GAP, so that a phrase never matches across punctuation ("双井，井村"
    does not contain "双井村")."""
    tokens: list[str] = []
    for run in _runs(text):
        if tokens:
            tokens.append(GAP)
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def document_text(title: str, content: str) -> str:
    """The indexed text: the first INDEXED_CHARS characters of the title and the content."""
    return f"{title}\n{content}"[:INDEXED_CHARS]


def document_tokens(title: str, content: str) -> list[str]:
    """The tokens a matter is indexed with, the same on both databases: the bigrams of
    document_text, where a bigram seen MAX_POSITIONS times already becomes GAP."""
    seen: dict[str, int] = {}
    tokens = bigrams(document_text(title, content))
    for i, token in enumerate(tokens):
        if token == GAP:
            continue
        seen[token] = seen.get(token, 0) + 1
        if seen[token] > MAX_POSITIONS:
            tokens[i] = GAP
    return tokens


def query_phrases(query: str) -> list[list[str]]:
    """One phrase of bigrams per run of two or more characters; every phrase must match."""
    phrases = [
        [run[i : i + 2] for i in range(len(run) - 1)] for run in _runs(query) if len(run) >= 2
    ]
    if not phrases:
        raise QueryTooShort(query)
    return phrases


# --- the two databases -------------------------------------------------------------------------


def _tsvector(tokens: Sequence[str]) -> str:
    # Tokens are letters and digits only: no quote or backslash to escape. GAP is a position
    # left empty.
    return " ".join(
        f"'{token}':{min(position, PG_MAX_POSITION)}"
        for position, token in enumerate(tokens, start=1)
        if token != GAP
    )


def _tsquery(phrases: Sequence[Sequence[str]]) -> str:
    return " & ".join("(" + " <-> ".join(f"'{t}'" for t in phrase) + ")" for phrase in phrases)


def _fts5_query(phrases: Sequence[Sequence[str]]) -> str:
    return " AND ".join('"' + " ".join(phrase) + '"' for phrase in phrases)


def create_index(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # No foreign key: the test runner's flush truncates Django's tables only.
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {PG_TABLE} "
                "(matter_id integer PRIMARY KEY, document tsvector NOT NULL)"
            )
            # Serves `document @@ tsquery` (the phrase of the query's bigrams).
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_gin ON {PG_TABLE} USING gin (document)"
            )
        else:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
                "document, content='', tokenize='unicode61 remove_diacritics 0')"
            )


def drop_index(conn: BaseDatabaseWrapper) -> None:
    with conn.cursor() as cursor:
        table = PG_TABLE if conn.vendor == "postgresql" else SQLITE_TABLE
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def index_matter(
    matter_id: int, title: str, content: str, *, old: tuple[str, str] | None = None
) -> None:
    """Add a matter's text to the index; `old` is the text it was indexed with, if any."""
    tokens = document_tokens(title, content)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {PG_TABLE} (matter_id, document) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (matter_id) DO UPDATE SET document = EXCLUDED.document",
                [matter_id, _tsvector(tokens)],
            )
            return
        if old is not None:
            # A contentless FTS5 table forgets a row only when told the tokens it was given.
            cursor.execute(
                f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}, rowid, document) "
                "VALUES ('delete', %s, %s)",
                [matter_id, " ".join(document_tokens(*old))],
            )
        cursor.execute(
            f"INSERT INTO {SQLITE_TABLE} (rowid, document) VALUES (%s, %s)",
            [matter_id, " ".join(tokens)],
        )


def rebuild(rows: Iterable[tuple[int, str, str]], conn: BaseDatabaseWrapper | None = None) -> int:
    """Empty the index and fill it from (id, title, content) rows; returns the count."""
    conn = conn or connection
    count = 0
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {PG_TABLE}")
            sql = f"INSERT INTO {PG_TABLE} (matter_id, document) VALUES (%s, %s::tsvector)"
        else:
            cursor.execute(f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('delete-all')")
            sql = f"INSERT INTO {SQLITE_TABLE} (rowid, document) VALUES (%s, %s)"
        batch: list[tuple[int, str]] = []
        for pk, title, content in rows:
            tokens = document_tokens(title, content)
            document = _tsvector(tokens) if conn.vendor == "postgresql" else " ".join(tokens)
            batch.append((pk, document))
            if len(batch) >= 1000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def matching_ids(query: str) -> RawSQL:
    """A subquery of the ids of matters whose title or content contains `query`, for
    `pk__in=`. Raises QueryTooShort when the query has no two adjacent letters or digits."""
    phrases = query_phrases(query)
    if connection.vendor == "postgresql":
        return RawSQL(
            f"SELECT matter_id FROM {PG_TABLE} WHERE document @@ %s::tsquery",
            [_tsquery(phrases)],
        )
    return RawSQL(
        f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s",
        [_fts5_query(phrases)],
    )
