#!/usr/bin/env bash
# Re-vendor the front-end files from the npm registry (the portal never loads them from a CDN).
# Versions are pinned here; run this script and commit static/vendor/ to upgrade.
set -euo pipefail
HDS_CORE=4.4.0
HTMX=2.0.11
AXE_CORE=4.14.1
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "hds-core@$HDS_CORE" "htmx.org@$HTMX" "axe-core@$AXE_CORE"
v="$here/static/vendor"
mkdir -p "$v/hds-core" "$v/htmx" "$here/tests/vendor/axe-core"
# The base (design tokens and a reset) and the components the portal's templates use, in one
# file (no HDS fonts, logo or icons' fonts: static/css/portal.css re-themes them).
cp node_modules/hds-core/lib/base.min.css "$v/hds-core/base.min.css"
components="button notification error-summary table pagination text-input checkbox fieldset"
{
  printf '/* hds-core %s (MIT, City of Helsinki): %s */\n' "$HDS_CORE" "$components"
  for c in $components; do cat "node_modules/hds-core/lib/components/$c/$c.min.css"; printf '\n'; done
} > "$v/hds-core/components.min.css"
cp node_modules/hds-core/LICENSE "$v/hds-core/LICENSE"
cp node_modules/htmx.org/dist/htmx.min.js "$v/htmx/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$v/htmx/LICENSE"
cp node_modules/axe-core/axe.min.js "$here/tests/vendor/axe-core/axe.min.js"
cp node_modules/axe-core/LICENSE "$here/tests/vendor/axe-core/LICENSE"
printf 'hds-core %s\nhtmx.org %s\naxe-core %s\n' "$HDS_CORE" "$HTMX" "$AXE_CORE" > "$v/VERSIONS"
