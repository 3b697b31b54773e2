#!/usr/bin/env bash
# Test setup only: makes the base image (debian:bookworm-slim) exist locally when no registry can be
# reached. It is built with debootstrap from the Debian mirror that this machine's apt already uses,
# then trimmed the way the official slim image is (no docs, man pages, locales or apt lists), so that
# image-size figures compare. The product itself pulls the base image normally.
set -euo pipefail
image=${BASE_IMAGE:-debian:bookworm-slim}
suite=bookworm

log() { printf '[seed] %s\n' "$*"; }

if docker image inspect "$image" >/dev/null 2>&1; then log "$image is present"; exit 0; fi
if timeout 20 docker pull -q "$image" >/dev/null 2>&1; then log "pulled $image"; exit 0; fi

mirror_from_apt_sources() {
  # deb822 files first (URIs: lines), then one-line sources; take the first non-security URI.
  local uri
  uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '{for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' | grep -v security | head -n1 || true)
  fi
  printf '%s' "$uri"
}

mirror=$(mirror_from_apt_sources)
if [ -z "$mirror" ]; then log "no Debian mirror found in the apt sources"; exit 1; fi
command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }

root=$(mktemp -d /tmp/seed-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
log "debootstrap $suite from the apt mirror into $root"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >/tmp/seed-debootstrap.log 2>&1 \
  || { tail -n 30 /tmp/seed-debootstrap.log; exit 1; }

log "trimming docs, man pages, locales and apt lists"
cat >"$root/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
CFG
cat >"$root/etc/apt/apt.conf.d/slim-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
CFG
find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
  "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/*

tar -C "$root" -c . | docker import --change 'CMD ["bash"]' - "$image" >/dev/null
log "imported $image ($(docker image inspect -f '{{.Size}}' "$image") bytes)"
