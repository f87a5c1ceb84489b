"""Fill empty msgstr entries of a .po file from a TSV glossary (msgid<TAB>msgstr).

Used when adding strings: `xinfang makemessages -l zh_Hans -l en`, add the new lines to
src/xinfang/locale/{zh_Hans,en}/glossary.tsv, run this on both catalogues, then
`xinfang compilemessages`. Needs gettext's msgcat. Chinese msgids are reported as untranslated
in zh_Hans: that is expected (Chinese is the source language of domain messages).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def unescape(s: str) -> str:
    return s.replace('\\"', '"').replace("\\n", "\n")


def escape(s: str) -> str:
    return s.replace('"', '\\"').replace("\n", "\\n")


def main(po_path: str, tsv_path: str) -> int:
    glossary = {}
    for line in Path(tsv_path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            msgid, msgstr = line.split("\t", 1)
            glossary[msgid] = msgstr
    # makemessages wraps long entries over several lines; unwrap first so that every entry is
    # one msgid line and one msgstr line, which is all the pattern below understands.
    subprocess.run(["msgcat", "--no-wrap", "-o", po_path, po_path], check=True)
    text = Path(po_path).read_text(encoding="utf-8")
    missing = []

    def fill(match: re.Match[str]) -> str:
        msgid = unescape(match.group(1))
        if msgid == "":
            return match.group(0)
        if msgid not in glossary:
            missing.append(msgid)
            return match.group(0)
        return f'msgid "{match.group(1)}"\nmsgstr "{escape(glossary[msgid])}"\n'

    text = re.sub(r'msgid "((?:[^"\\]|\\.)*)"\nmsgstr ""\n', fill, text)
    text = text.replace("#, fuzzy\n", "", 1) if '#, fuzzy\nmsgid ""' in text else text
    Path(po_path).write_text(text, encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
