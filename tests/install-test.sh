#!/bin/sh
# Installs into a temporary DESTDIR, runs the installed binary on the
# installed example, then uninstalls and checks nothing is left.
#
# usage: tests/install-test.sh   (from the repository root, after make)
set -u
. "$(dirname "$0")/lib.sh"
D=$(pwd)/tests/tmp/install.$$
PREFIX=/usr/local
pass=0 fail=0

rm -rf "$D"
make -s install DESTDIR="$D" PREFIX=$PREFIX >"$D.log" 2>&1
check "make install succeeds ($(tail -n 3 "$D.log"))" [ $? -eq 0 ]
check "binary installed" [ -x "$D$PREFIX/bin/zongjie" ]
check "man page installed" [ -f "$D$PREFIX/share/man/man1/zongjie.1" ]
check "example config installed" [ -f "$D$PREFIX/share/zongjie/config/report.ini" ]
check "sample data installed" [ -f "$D$PREFIX/share/zongjie/input/2021-12/kpi.csv" ]
check "systemd units installed" [ -f "$D$PREFIX/share/zongjie/contrib/zongjie.timer" ]
MO=$D$PREFIX/share/locale/zh_CN/LC_MESSAGES/zongjie.mo
check "Chinese catalogue installed" [ -f "$MO" ]
# The installed binary looks in PREFIX/share/locale; under DESTDIR, point it there.
check "installed binary speaks Chinese from the installed catalogue" sh -c \
    "env -u LANGUAGE -u LC_ALL LANG=zh_CN.UTF-8 ZONGJIE_LOCALEDIR='$D$PREFIX/share/locale' \
    '$D$PREFIX/bin/zongjie' -c '$D/none.ini' 2>&1 | grep -q '错误: 无法打开配置文件'"
check "the binary looks in PREFIX/share/locale" \
    grep -q "$PREFIX/share/locale" "$D$PREFIX/bin/zongjie"
if command -v man >/dev/null 2>&1; then
	check "man page renders" sh -c "man -l '$D$PREFIX/share/man/man1/zongjie.1' 2>/dev/null | grep -q zongjie"
else
	missing man "Debian man-db" || bad "man page check did not run"
fi

# The installed binary renders the installed example from any directory
# (paths in the example are relative to the configuration's directory).
(cd / && "$D$PREFIX/bin/zongjie" -c "$D$PREFIX/share/zongjie/config/report.ini" \
    -o "$D/report.pdf") 2>"$D/err"
check "installed binary renders the example ($(head -c 300 "$D/err"))" [ $? -eq 0 ]
check "the PDF is there" [ -s "$D/report.pdf" ]
check "the PDF has the title" sh -c "pdftotext '$D/report.pdf' - | grep -q 工作总结"

# The systemd unit names the installed program, for any PREFIX.
check "the unit runs $PREFIX/bin/zongjie" \
    grep -q "^ExecStart=$PREFIX/bin/zongjie " "$D$PREFIX/share/zongjie/contrib/zongjie.service"
make -s install DESTDIR="$D.opt" PREFIX=/opt/zj >"$D.log" 2>&1
check "PREFIX=/opt/zj: the unit runs /opt/zj/bin/zongjie" \
    grep -q "^ExecStart=/opt/zj/bin/zongjie " "$D.opt/opt/zj/share/zongjie/contrib/zongjie.service"
check "... and names no other zongjie" \
    sh -c "! grep -q '/usr/local/bin' '$D.opt/opt/zj/share/zongjie/contrib/zongjie.service'"
rm -rf "$D.opt"

make -s uninstall DESTDIR="$D" PREFIX=$PREFIX >/dev/null 2>&1
check "uninstall removes the binary" [ ! -e "$D$PREFIX/bin/zongjie" ]
check "uninstall removes the data" [ ! -e "$D$PREFIX/share/zongjie" ]
check "uninstall removes the man page" [ ! -e "$D$PREFIX/share/man/man1/zongjie.1" ]
check "uninstall removes the catalogue" [ ! -e "$MO" ]

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && rm -rf "$D" "$D.log"
[ "$fail" -eq 0 ]
