#!/usr/bin/env bash
# Update one app's translation catalogues: src/xinfang/APP/locale/{zh_Hans,en}.
#
#   scripts/messages.sh APP        e.g. scripts/messages.sh portal
#   scripts/messages.sh            the project catalogue (src/xinfang/locale: the apps without
#                                  their own locale directory, and src/xinfang/templates)
#
# 1. makemessages collects the msgids of that app only (its .py files and its templates/);
# 2. scripts/po_fill.py fills every empty msgstr from APP/locale/<lang>/glossary.tsv (msgid TAB
#    translation; a large app may split it into glossary-PART.tsv files beside it, read together)
#    and lists what the glossary lacks: add those lines and run this again;
# 3. msgfmt compiles the .mo files.
# Template and label msgids are English (translated to zh_Hans); domain messages have Chinese
# msgids (translated to en). An English msgid's en translation is itself.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
APP=${1:-}
PKG="$ROOT/src/xinfang"
export XINFANG_DEV=1
if [[ -n "$APP" ]]; then
    [[ -d "$PKG/$APP" ]] || { echo "messages.sh: no app $PKG/$APP" >&2; exit 2; }
    LOCALE="$PKG/$APP/locale"
else
    LOCALE="$PKG/locale"
fi
# Patterns are paths from the repository root: a bare name ("locale", "templates") would also
# match the app's own locale/ and templates/ directories and send its strings elsewhere.
IGNORE=(-i tests -i benchmarks -i scripts -i test-output -i var -i build)
for dir in "$PKG"/*/; do
    name=$(basename "$dir")
    if [[ -n "$APP" ]]; then
        [[ "$name" == "$APP" ]] || IGNORE+=(-i "src/xinfang/$name")
    elif [[ -d "$dir/locale" && "$name" != locale ]]; then
        IGNORE+=(-i "src/xinfang/$name")
    fi
done
if [[ -n "$APP" ]]; then
    # And the package's own modules (settings.py has translated strings): else makemessages
    # would rewrite the project catalogue from those alone.
    for file in "$PKG"/*.py; do
        IGNORE+=(-i "src/xinfang/$(basename "$file")")
    done
fi
for lang in zh_Hans en; do
    mkdir -p "$LOCALE/$lang/LC_MESSAGES"
    touch "$LOCALE/$lang/glossary.tsv"
    # The glossary is the source of every translation: start from a fresh catalogue, so that
    # msgmerge never carries an old translation over as "fuzzy".
    rm -f "$LOCALE/$lang/LC_MESSAGES/django.po"
done
("$ROOT/.venv/bin/xinfang" makemessages -l zh_Hans -l en --no-obsolete "${IGNORE[@]}" >/dev/null)

for lang in zh_Hans en; do
    PO="$LOCALE/$lang/LC_MESSAGES/django.po"
    [[ -f "$PO" ]] || continue
    # Chinese msgids are listed as untranslated for zh_Hans: expected (Chinese is their language).
    GLOSSARY=$(mktemp)
    cat "$LOCALE/$lang"/glossary*.tsv >"$GLOSSARY"
    "$ROOT/.venv/bin/python" "$ROOT/scripts/po_fill.py" "$PO" "$GLOSSARY" || true
    rm -f "$GLOSSARY"
    msgfmt --check-format -o "$LOCALE/$lang/LC_MESSAGES/django.mo" "$PO"
done

