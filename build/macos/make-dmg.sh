#!/usr/bin/env bash
# macOS recipe: "dist/Smart Agent.app" (built by build/smart-agent.spec on a Mac) into
# dist/smart-agent-VERSION-macos-ARCH.dmg, with the usual drag-to-Applications link.
# NOT run or tested here (the project is built and tested on Linux); CI runs it on a macOS
# runner (.github/workflows/package.yml). The app is ad-hoc signed by PyInstaller, which
# Apple Silicon requires to run at all; Gatekeeper still asks on first open unless the app
# is signed with a Developer ID and notarized (codesign/notarytool, not covered here).
set -euo pipefail
cd "$(dirname "$0")/../.."
APP="dist/Smart Agent.app"
[ -d "$APP" ] || { echo "make-dmg: $APP is missing; run pyinstaller on build/smart-agent.spec first" >&2; exit 1; }
VERSION=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")
DMG="dist/smart-agent-${VERSION}-macos-$(uname -m).dmg"
"$APP/Contents/MacOS/smart-agent" --version  # the bundle starts at all

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Smart Agent" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
hdiutil verify "$DMG"
echo "make-dmg: $DMG ($(du -h "$DMG" | cut -f1))"
