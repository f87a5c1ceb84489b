#!/usr/bin/env bash
# Make sure a Chromium for the browser (e2e) tests is on this machine, with a font for Chinese.
#
#   scripts/ensure-chromium.sh          (scripts/test.sh calls it once before the pytest runs)
#
# The browser is Debian's `chromium` package, driven by Playwright through `executable_path`
# (Playwright's own browser download is not used). When /usr/bin/chromium is missing, installs
# it with apt-get, as root or via passwordless sudo. When no font covers Chinese, installs
# fonts-wqy-microhei (1.6 MB; fonts-noto-cjk would be 56 MB) so that pages and screenshots show
# the characters, not empty boxes. Office PCs have their own fonts; the test machine needs one.
#
# On success prints the browser's path on stdout and exits 0. When no browser can be had, prints
# the reason to stderr, writes "failed: REASON" to $XINFANG_CHROMIUM_STATUS_FILE (if set) and
# exits 97. A missing Chinese font is only a warning here (the e2e test
# test_chinese_is_drawn_with_a_real_font then fails).
#
# Knobs (all optional):
#   XINFANG_CHROMIUM              the browser to use (default /usr/bin/chromium); when set it
#                                 is never installed, only checked
#   XINFANG_CHROMIUM_NO_INSTALL=1 never install anything
#   XINFANG_CHROMIUM_STATUS_FILE  see above; receives "ok PATH" on success

set -euo pipefail

readonly INFRA_FAILURE=97
readonly DEFAULT_BROWSER=/usr/bin/chromium
readonly FONT_PACKAGE=fonts-wqy-microhei

log() { printf 'ensure-chromium: %s\n' "$*" >&2; }

status() {
    if [[ -n "${XINFANG_CHROMIUM_STATUS_FILE:-}" ]]; then
        mkdir -p "$(dirname "$XINFANG_CHROMIUM_STATUS_FILE")"
        printf '%s\n' "$*" >"$XINFANG_CHROMIUM_STATUS_FILE"
    fi
}

fail() {
    log "no browser for the e2e tests: $*"
    status "failed: $*"
    exit "$INFRA_FAILURE"
}

# Privileged commands for installing packages: directly as root, else via passwordless sudo.
sudo_cmd() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 126
    fi
}

# can_install WHAT -> 0, or prints why not (for the caller's message) and returns 1
can_install() {
    if [[ "${XINFANG_CHROMIUM_NO_INSTALL:-0}" == 1 ]]; then
        echo "XINFANG_CHROMIUM_NO_INSTALL=1"
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "no apt-get to install it with (install $1 yourself)"
        return 1
    fi
    if ! sudo_cmd true 2>/dev/null; then
        echo "installing needs root (not root and no passwordless sudo): run 'sudo apt-get install -y $1'"
        return 1
    fi
}

APT_UPDATED=0
apt_install() { # apt_install PACKAGE... -> 0 or 1
    if [[ $APT_UPDATED -eq 0 ]]; then
        sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get -q update >&2 || return 1
        APT_UPDATED=1
    fi
    sudo_cmd env DEBIAN_FRONTEND=noninteractive \
        apt-get -q install -y --no-install-recommends "$@" >&2
}

# --- the browser ------------------------------------------------------------------------------
BROWSER=${XINFANG_CHROMIUM:-$DEFAULT_BROWSER}
if [[ ! -x "$BROWSER" ]]; then
    if [[ -n "${XINFANG_CHROMIUM:-}" ]]; then
        fail "XINFANG_CHROMIUM=$XINFANG_CHROMIUM is not an executable file"
    fi
    why=$(can_install chromium) || fail "$BROWSER not found and cannot install it: $why"
    log "$BROWSER not found; installing Debian's chromium with apt-get..."
    started=$SECONDS
    apt_install chromium || fail "apt-get install chromium failed (output above)"
    [[ -x "$BROWSER" ]] || fail "the chromium package was installed but $BROWSER is still missing"
    log "installed chromium in $((SECONDS - started))s"
fi

# It must start at all (a broken install or a missing library shows here, not mid-test).
if ! version=$("$BROWSER" --version 2>&1); then
    fail "$BROWSER does not run: $version"
fi
version=$(tail -n 1 <<<"$version") # Debian's wrapper may print shell noise before it

# --- a font for Chinese -----------------------------------------------------------------------
has_cjk_font() {
    if command -v fc-list >/dev/null 2>&1; then
        [[ -n "$(fc-list :lang=zh-cn family 2>/dev/null)" ]]
    else # fontconfig's tools are not always installed; look for the usual files instead
        compgen -G "/usr/share/fonts/*/*/*[Cc][Jj][Kk]*" >/dev/null ||
            compgen -G "/usr/share/fonts/*/wqy*/*" >/dev/null
    fi
}

if ! has_cjk_font; then
    if why=$(can_install "$FONT_PACKAGE"); then
        log "no font covers Chinese; installing $FONT_PACKAGE with apt-get..."
        apt_install "$FONT_PACKAGE" || log "warning: apt-get install $FONT_PACKAGE failed"
    else
        log "warning: no font covers Chinese and cannot install one: $why"
    fi
    has_cjk_font || log "warning: screenshots will show boxes instead of Chinese characters"
fi

log "using $version ($BROWSER)"
status "ok $BROWSER"
echo "$BROWSER"
