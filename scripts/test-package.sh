#!/usr/bin/env bash
# `make test-package`: installs the newest .deb the way a user would, but into a throwaway root
# (dpkg-deb -x: no root rights, nothing touches the system), then checks what the package holds
# (the CLI runs and says its version, man pages, completions, desktop entry, icons, AppStream) and
# starts the packaged app under Xvfb through the E2E harness, which opens a post.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
deb="$(ls -t "$target"/debian/galley_*.deb 2>/dev/null | head -n 1)"
[ -n "$deb" ] || { echo "test-package: no .deb in $target/debian (run make package)" >&2; exit 1; }
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"

fail() { echo "test-package: $*" >&2; exit 1; }
expect_file() { [ -s "$root/$1" ] || fail "missing from the package: /$1"; }

version="$(dpkg-deb -f "$deb" Version)"
"$root/usr/bin/galley" --version | grep -qx "galley ${version%-*}" || fail "galley --version does not say ${version%-*}"
"$root/usr/bin/galley" help export | grep -q -- "--preset" || fail "galley help export does not describe --preset"
for page in galley galley-export galley-import galley-completions; do expect_file "usr/share/man/man1/$page.1.gz"; done
zcat "$root/usr/share/man/man1/galley.1.gz" | grep -q '^.SH "EXIT STATUS"' || fail "the man page has no EXIT STATUS section"
expect_file usr/share/bash-completion/completions/galley
expect_file usr/share/zsh/vendor-completions/_galley
expect_file usr/share/fish/vendor_completions.d/galley.fish
bash -c "source '$root/usr/share/bash-completion/completions/galley' && complete -p galley" >/dev/null || fail "the bash completion does not load"
expect_file usr/share/applications/galley.desktop
expect_file usr/share/metainfo/dev.galley.app.metainfo.xml
expect_file usr/share/icons/hicolor/scalable/apps/galley.svg
for size in 16 22 24 32 48 64 128 256 512; do
  expect_file "usr/share/icons/hicolor/${size}x${size}/apps/galley.png"
  identify -format '%wx%h' "$root/usr/share/icons/hicolor/${size}x${size}/apps/galley.png" | grep -qx "${size}x${size}" || fail "the ${size} px icon has the wrong size"
done
depends="$(dpkg-deb -f "$deb" Depends)"
echo "$depends" | grep -q libwebkit2gtk-4.1 || fail "Depends does not name WebKitGTK: $depends"
echo "test-package: the package holds the CLI ($version), man pages, completions, desktop entry, icons and AppStream file"

# The packaged app, started from the unpacked root, opens a post (the packaged CLI next to it).
GALLEY_E2E_FILES=./package.check.mjs GALLEY_CLI="$root/usr/bin/galley" scripts/e2e.sh "$root/usr/bin/galley-app"
