#!/bin/sh
# Usage: fetch-agent-cli REGISTRY VERSION DEST
# Downloads the agent CLI's platform package from the given npm registry (the one the host is
# configured to use), checks it against the registry's sha512 integrity, and installs its binary.
set -eu
registry=${1%/}
version=$2
dest=$3
if [ -z "$registry" ]; then
  echo "fetch-agent-cli: no npm registry given; build with --build-arg NPM_REGISTRY=\"\$(npm config get registry)\"" >&2
  exit 2
fi
case "$(dpkg --print-architecture)" in
  amd64) arch=x64 ;;
  arm64) arch=arm64 ;;
  *) echo "fetch-agent-cli: unsupported architecture $(dpkg --print-architecture)" >&2; exit 2 ;;
esac
name="@anthropic-ai/claude-code-linux-$arch"
meta=$(curl -fsSL --retry 3 "$registry/@anthropic-ai%2fclaude-code-linux-$arch/$version") || {
  echo "fetch-agent-cli: could not read $name@$version from $registry" >&2; exit 1; }
tarball=$(printf '%s' "$meta" | jq -r '.dist.tarball')
integrity=$(printf '%s' "$meta" | jq -r '.dist.integrity')
resolved=$(printf '%s' "$meta" | jq -r '.version')
echo "fetching $name@$resolved"
work=$(mktemp -d)
curl -fsSL --retry 3 -o "$work/pkg.tgz" "$tarball"
case "$integrity" in
  sha512-*)
    want=$(printf '%s' "${integrity#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
    got=$(sha512sum "$work/pkg.tgz" | cut -d' ' -f1)
    if [ "$want" != "$got" ]; then echo "fetch-agent-cli: integrity mismatch for $name@$resolved" >&2; exit 1; fi ;;
  *) echo "fetch-agent-cli: the registry gave no sha512 integrity for $name@$resolved" >&2; exit 1 ;;
esac
tar -xzf "$work/pkg.tgz" -C "$work" package/claude
install -D -m 0755 "$work/package/claude" "$dest"
rm -rf "$work"
"$dest" --version
