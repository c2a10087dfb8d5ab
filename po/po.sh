#!/bin/sh
# Message catalogues.  Extracts every translatable message from src/*.c
# into BUILD/zongjie.pot (the keywords are diag.h's functions, the
# modules' own reporting helpers, _() and N_()), merges it into each
# po/LANG.po and fails when any message lacks a translation, is fuzzy, or
# has a format that does not match its msgid (msgfmt --check).
#
# usage: sh po/po.sh update   rewrite po/*.po from the sources (make po)
#        sh po/po.sh check    the same on copies; the tree is left alone
set -u
mode=${1:-check}
BUILD=${BUILD:-build}
mkdir -p "$BUILD/po"
pot=$BUILD/po/zongjie.pot

# FUNCTION:ARG of each function whose argument is a printf format that
# ends up in a message.  A new reporting helper needs adding here.
KEYS="diag:4 diag_error:3 diag_warn:2 diag_info:1 diag_raw:1 diag_progress:1 bad:3 lerr:4 perr:2 errf:3"
set -- --keyword=_ --keyword=N_
for k in $KEYS; do
	set -- "$@" --keyword="$k" --flag="$k:c-format"
done
# shellcheck disable=SC2046
xgettext --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: \
    --package-name=zongjie --msgid-bugs-address=issues --sort-by-file \
    --add-location=file \
    --no-wrap "$@" -o "$pot" $(ls src/*.c | LC_ALL=C sort) || exit 1

status=0
for po in po/*.po; do
	lang=$(basename "$po" .po)
	if [ "$mode" = update ]; then
		msgmerge --quiet --update --backup=none --no-wrap \
		    --add-location=file --no-fuzzy-matching "$po" "$pot" ||
		    exit 1
		msgattrib --no-obsolete --no-wrap --add-location=file -o "$po" "$po" || exit 1
		merged=$po
	else
		merged=$BUILD/po/$lang.po
		msgmerge --quiet --no-wrap --no-fuzzy-matching -o "$merged" \
		    "$po" "$pot" || exit 1
	fi
	untrans=$(msgattrib --untranslated --no-obsolete "$merged" |
	    grep -c '^msgid ' )
	fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$merged" |
	    grep -c '^msgid ')
	# Each count includes the header entry when there is any message.
	[ "$untrans" -gt 0 ] && untrans=$((untrans - 1))
	[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
	if [ "$untrans" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
		echo "po: $po: $untrans untranslated, $fuzzy fuzzy:" >&2
		msgattrib --untranslated --no-obsolete --no-wrap "$merged" |
		    grep '^msgid ' | tail -n +2 >&2
		msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" |
		    grep '^msgid ' | tail -n +2 >&2
		status=1
	fi
	msgfmt --check --statistics -o /dev/null "$merged" || status=1
done
[ "$status" -eq 0 ] && echo "po: every message translated"
exit "$status"
