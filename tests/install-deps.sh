#!/bin/sh
# Installs the Debian 12 packages zongjie needs to build, run and test,
# skipping those already installed.  Uses apt-get as root, or sudo.
set -eu

PKGS="make gcc pkg-config
libhpdf-dev libcsv-dev libiniparser-dev libunibreak-dev libharfbuzz-dev
libfontconfig-dev libcmocka-dev zlib1g-dev libzip-dev libxml2-dev
fonts-arphic-gbsn00lp fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei
fonts-liberation2 fonts-noto-cjk texlive-lang-chinese libcurl4-openssl-dev python3-aiosmtpd man-db
poppler-utils qpdf mupdf-tools python3 libpdfbox2-java gettext locales
chromium libreoffice-writer-nogui python3-docx libxml2-utils unzip gdb"

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
# The Chinese-message test runs under LANG=zh_CN.UTF-8: generate that
# locale when it is missing (zongjie also copes without it, see diag.c).
nolocale=""
locale -a 2>/dev/null | grep -qix 'zh_CN.utf8' || nolocale=1
[ -z "$missing" ] && [ -z "$nolocale" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "zongjie: need root or sudo to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Another apt-get (an unattended upgrade, a parallel build) may hold the
# dpkg lock: wait for it rather than fail.
LOCK="-o DPkg::Lock::Timeout=600"
if [ -n "$missing" ]; then
	echo "zongjie: installing:$missing" >&2
	# shellcheck disable=SC2086
	$SUDO apt-get $LOCK update -qq >&2
	# shellcheck disable=SC2086
	$SUDO apt-get $LOCK install -y -qq --no-install-recommends $missing >&2
fi
if [ -n "$nolocale" ]; then
	echo "zongjie: generating the zh_CN.UTF-8 locale" >&2
	$SUDO sed -i 's/^# *\(zh_CN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
	grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen ||
	    echo 'zh_CN.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
	$SUDO locale-gen >&2
fi
