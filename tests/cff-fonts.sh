#!/bin/sh
# cff-fonts.sh INI: prints INI with its [fonts] roles set to OpenType/CFF
# fonts only, for the extraction and ink tests of CFF embedding:
# FandolFang (body), FandolHei (heading), FandolKai (subheading) from
# texlive-lang-chinese, Noto Serif CJK SC Bold (title) and Noto Sans CJK
# SC (page numbers) from fonts-noto-cjk, each by file path, so nothing
# else can stand in.  Exit 1 (with the path) when one of them is missing;
# tests/install-deps.sh installs both packages.
set -eu
if [ $# -ne 1 ] || [ ! -r "$1" ]; then
	echo "usage: sh tests/cff-fonts.sh INI" >&2
	exit 2
fi
FANDOL=/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
NOTO=/usr/share/fonts/opentype/noto
for f in "$FANDOL/FandolFang-Regular.otf" "$FANDOL/FandolHei-Regular.otf" \
    "$FANDOL/FandolKai-Regular.otf" "$NOTO/NotoSerifCJK-Bold.ttc" \
    "$NOTO/NotoSansCJK-Regular.ttc"; do
	if [ ! -r "$f" ]; then
		echo "cff-fonts.sh: $f is missing (texlive-lang-chinese," \
		    "fonts-noto-cjk: sh tests/install-deps.sh)" >&2
		exit 1
	fi
done
# Face 2 of the Noto CJK collections is the Simplified Chinese one.
awk -v fandol="$FANDOL" -v noto="$NOTO" '
/^\[/ { infonts = ($0 ~ /^\[fonts\]/) }
infonts && /^title *=/ { print "title = " noto "/NotoSerifCJK-Bold.ttc:2"; next }
infonts && /^body *=/ { print "body = " fandol "/FandolFang-Regular.otf"; next }
infonts && /^heading *=/ { print "heading = " fandol "/FandolHei-Regular.otf"; next }
infonts && /^subheading *=/ { print "subheading = " fandol "/FandolKai-Regular.otf"; next }
infonts && /^pagenum *=/ { print "pagenum = " noto "/NotoSansCJK-Regular.ttc:2"; next }
{ print }
' "$1"
