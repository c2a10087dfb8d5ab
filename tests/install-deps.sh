#!/bin/sh
# Installs the Debian 12 packages zongjie needs to build, run and test,
# skipping those already installed.  Uses apt-get as root, or sudo.
set -eu

PKGS="make gcc pkg-config
libhpdf-dev libcsv-dev libiniparser-dev libunibreak-dev libharfbuzz-dev
libfontconfig-dev libcmocka-dev zlib1g-dev
fonts-arphic-gbsn00lp fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei
fonts-liberation2 libcurl4-openssl-dev python3-aiosmtpd man-db
poppler-utils qpdf mupdf-tools python3 libpdfbox2-java"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
# npm (pdf.js and csv-spectrum tests) comes with a Node.js install; on a
# machine without one, Debian's nodejs and npm packages bring it.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
# PDFBox (a text-extraction check) runs on any Java runtime.
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "zongjie: need root or sudo to install:$missing" >&2
	exit 1
fi
echo "zongjie: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
