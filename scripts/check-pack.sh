#!/usr/bin/env bash
# Proves the published package works: packs keyscan, installs the tarball into a fresh
# npm project, and runs `keyscan --version`, a small `detect --no-git` and a
# `protect --staged` there.
# Needs the npm registry (for keyscan's dependencies). Run after `npm run build`.
# KEYSCAN_PACK_TOKEN (optional): a generated secret the default rules must find there.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/keyscan-pack-XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "check-pack: $*" >&2; exit 1; }

cd "$root"
[ -f dist/cli/run.js ] || fail "dist/ is missing: run npm run build first"
# --ignore-scripts: the build already ran; prepare would also run husky here.
tarball="$(npm pack --silent --ignore-scripts --pack-destination "$work" 2>/dev/null | tail -n 1)"
[ -f "$work/$tarball" ] || fail "npm pack produced no tarball"

# What a user gets: the CLI, its compiled code and the default rules.
contents="$(tar -tzf "$work/$tarball")"
for f in package/package.json package/bin/keyscan.js package/dist/cli/run.js package/dist/bundle/protect.js package/dist/default-rules.json package/rules/github.toml; do
  grep -qx "$f" <<<"$contents" || fail "$f is missing from the package"
done
! grep -qE '^package/(src|test|fixtures|node_modules)/' <<<"$contents" || fail "the package ships source, tests or fixtures"

mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null 2>&1
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$work/$tarball" >/dev/null \
  || fail "npm install of the tarball failed"

want="$(node -p "require('$root/package.json').version")"
got="$(npx --no-install keyscan --version)"
[ "$got" = "$want" ] || fail "keyscan --version printed '$got', expected '$want'"

mkdir scan
printf 'hello = "world"\n' > scan/readme.txt
npx --no-install keyscan detect --no-git scan >/dev/null || fail "detect on a clean directory did not exit 0"

# The pre-commit path (dist/bundle/protect.js) in a repository with a staged file.
git init -q repo
printf 'hello = "world"\n' > repo/readme.txt
git -C repo add readme.txt
got="$(cd repo && npx --no-install keyscan protect --staged)" || fail "protect --staged on a clean change did not exit 0"
[ "$got" = "keyscan: 1 staged file, 1 added line scanned, no secrets found" ] || fail "protect --staged printed '$got'"

if [ -n "${KEYSCAN_PACK_TOKEN:-}" ]; then
  printf 'export TOKEN=%s\n' "$KEYSCAN_PACK_TOKEN" > scan/deploy.sh
  set +e
  out="$(npx --no-install keyscan detect --no-git scan -f json 2>&1)"
  code=$?
  set -e
  [ "$code" = 1 ] || fail "detect with a secret exited $code, expected 1: $out"
  grep -q '"File": "deploy.sh"' <<<"$out" || fail "the secret was not reported: $out"
  ! grep -qF "$KEYSCAN_PACK_TOKEN" <<<"$out" || fail "the secret was printed unredacted"
fi
echo "check-pack: ok ($tarball installs and runs)"
