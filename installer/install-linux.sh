#!/usr/bin/env bash
# Install the bundle for all users: /opt/hotline, a `hotline` command in /usr/local/bin, the
# desktop entry and the icon. Run as root from the unpacked dist/hotline folder:
#
#   sudo bash install-linux.sh [PREFIX]      # PREFIX defaults to /opt/hotline
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${1:-/opt/hotline}
if [ "$HERE" != "$PREFIX" ]; then
    rm -rf "$PREFIX"
    mkdir -p "$(dirname "$PREFIX")"
    cp -a "$HERE" "$PREFIX"
fi
ln -sf "$PREFIX/hotline" /usr/local/bin/hotline
install -Dm644 "$PREFIX/hotline.png" /usr/share/icons/hicolor/256x256/apps/hotline-triage.png
sed "s|^Exec=.*|Exec=$PREFIX/hotline|" "$PREFIX/hotline.desktop" \
    > /usr/share/applications/hotline-triage.desktop
command -v update-desktop-database >/dev/null && update-desktop-database -q || true
echo "Installed in $PREFIX; start it from the applications menu or with: hotline"
