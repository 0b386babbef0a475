#!/usr/bin/env bash
# Installs the Debian packages Tidu needs when they are missing: Pango and HarfBuzz's
# subsetter for WeasyPrint, the CJK fonts of STYLE.md, poppler for PDF checks and
# chromium for the browser journeys. Safe to run again; does nothing when all is there.
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
          fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-gkai00mp fonts-arphic-gbsn00lp
          poppler-utils gettext chromium)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

fandol_dir=/usr/local/share/fonts/fandol
need_fandol=0
[ -f "$fandol_dir/FandolFang-Regular.otf" ] || need_fandol=1

if [ ${#missing[@]} -eq 0 ] && [ $need_fandol -eq 0 ]; then
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v apt-get >/dev/null; then
  echo "!! apt-get not found: install by hand: ${missing[*]} and the Fandol fonts" >&2
  exit 0
fi

echo ">> installing system packages: ${missing[*]:-} ${need_fandol:+(Fandol fonts)}"
$sudo apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ $need_fandol -eq 1 ]; then
  # The four Fandol faces live inside TeX Live's Chinese package; take only them.
  work=$(mktemp -d)
  (cd "$work" && apt-get download texlive-lang-chinese >/dev/null 2>&1 && dpkg-deb -x texlive-lang-chinese_*.deb extracted)
  $sudo mkdir -p "$fandol_dir"
  find "$work/extracted" -name 'Fandol*.otf' -exec $sudo cp {} "$fandol_dir/" \;
  rm -rf "$work"
fi
$sudo fc-cache -f >/dev/null 2>&1 || true
