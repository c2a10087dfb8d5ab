#!/bin/sh
# tests/mail-test.sh ZONGJIE_BINARY — mailing the PDF (src/mail.c) against
# a local SMTP server (tests/smtp_server.py, Debian python3-aiosmtpd).
#
# Run from the repository root.  Until main.c has --mail, the cases drive
# mail_send through tests/mail_send_test.c, built here (with ASan/UBSan
# when ZJ_ASAN=1).  ZONGJIE_BINARY is only used to render a real PDF to
# attach; without it a small fake PDF is used.  Everything listens on
# 127.0.0.1, every client run is bounded by `timeout`, and the servers
# stop themselves after 300 s and are killed on exit.  Prints one line per
# case and "mail: N passed, N failed"; exits 1 if any case failed.
set -u

ZJ=${1:-./zongjie}
R=$(pwd)
T=$R/tests/tmp/mail
PY=/usr/bin/python3                     # Debian's, which has aiosmtpd
[ -x "$PY" ] || PY=python3
CC=${CC:-cc}
pass=0 fail=0 pids=""

# shellcheck disable=SC2317  # called by the traps
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	pids=""
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM

ok() { pass=$((pass + 1)); echo "ok   - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1: $2"; [ -s "$T/err" ] && sed 's/^/       | /' "$T/err"; }
finish() {
	echo "mail: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

rm -rf "$T"
mkdir -p "$T"

# --- the driver -----------------------------------------------------------
SAN=""
[ "${ZJ_ASAN:-}" = 1 ] && SAN="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
# shellcheck disable=SC2086
if ! $CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
    -Wshadow -Wwrite-strings -Wmissing-prototypes -Wno-unused-parameter \
    -I/usr/include/iniparser -Isrc $SAN -o "$T/mail_send_test" \
    tests/mail_send_test.c src/mail.c src/mime.c src/util.c src/diag.c \
    src/config.c src/input.c src/bigmem.c src/paths.c src/period.c src/style.c \
    -liniparser 2>"$T/err"; then
	bad "build tests/mail_send_test.c" "compiler failed"
	finish
fi
DRV="$T/mail_send_test"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

# --- the PDF to attach ----------------------------------------------------
PDF="$T/青禾园区2021年工作总结.pdf"
if [ -x "$ZJ" ] && "$ZJ" -q -c config/report.ini -o "$T/x.pdf" 2>"$T/err" &&
    [ -s "$T/x.pdf" ]; then
	cp "$T/x.pdf" "$PDF"
	echo "     (attaching a PDF rendered by $ZJ)"
else
	printf '%%PDF-1.4\n%% fake\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$PDF"
	echo "     (attaching a small fake PDF: $ZJ did not render one)"
fi

# --- servers ----------------------------------------------------------------
# start NAME ARGS...: starts smtp_server.py with its own message directory
# $T/NAME and sets PORT once it accepts connections.
start() {
	name=$1
	shift
	rm -f "$T/$name.port"
	"$PY" tests/smtp_server.py --dir "$T/$name" --port-file "$T/$name.port" \
	    --timeout 300 "$@" >"$T/$name.log" 2>&1 &
	pids="$pids $!"
	i=0
	while [ ! -s "$T/$name.port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	PORT=$(cat "$T/$name.port" 2>/dev/null || echo 0)
	[ "$PORT" != 0 ]
}

if ! start auth --user zj --password 'pä ss 1' --refuse bad@example.com; then
	bad "start SMTP server" "see $T/auth.log"
	finish
fi
AUTHPORT=$PORT
start open || { bad "start SMTP server" "see $T/open.log"; finish; }
OPENPORT=$PORT
DOWNPORT=$("$PY" tests/smtp_server.py --print-free-port)
# A server that accepts and never answers (for the timeout).
"$PY" -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5)
open(sys.argv[1], "w").write("%d\n" % s.getsockname()[1])
conns = []
end = time.time() + 60
while time.time() < end:
    s.settimeout(1)
    try: conns.append(s.accept()[0])
    except OSError: pass
' "$T/mute.port" >/dev/null 2>&1 &
pids="$pids $!"
i=0
while [ ! -s "$T/mute.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
MUTEPORT=$(cat "$T/mute.port")

printf 'pä ss 1\n' >"$T/pass"
chmod 600 "$T/pass"
printf 'wrong\n' >"$T/wrong"
chmod 600 "$T/wrong"
cp "$T/pass" "$T/pass644"
chmod 644 "$T/pass644"

# ini NAME KEY=VALUE...: $T/NAME.ini = the sample configuration plus a
# [mail] section (defaults below, each KEY=VALUE replaces or adds a key;
# KEY= drops it).
ini() {
	out="$T/$1.ini"
	shift
	{
		# The sample, its relative paths made absolute (they are relative
		# to the configuration's directory, and this copy is elsewhere).
		sed -e "s|^template = |template = $R/config/|" \
		    -e "s#^\(file\|dir\|output\) = \.\./#\1 = $R/#" config/report.ini
		printf '\n[mail]\n'
		"$PY" - "$@" <<EOF
import sys
keys = {"url": "smtp://127.0.0.1:$AUTHPORT", "user": "zj",
        "password_file": "$T/pass",
        "from": "青禾园区办公室 <office@qinghe.example>",
        "to": "张三 <zhang@example.com>, li@example.com",
        "cc": "王五 <wang@example.com>, Zhao Liu <zhao@example.com>",
        "subject": "{year}年{months}工作总结", "timeout": "10"}
for a in sys.argv[1:]:
    k, v = a.split("=", 1)
    if v: keys[k] = v
    else: keys.pop(k, None)
for k, v in keys.items():
    print("%s = %s" % (k, v))
EOF
	} >"$out"
}

# run INI SUBJECT BODY PDF: runs the driver, stderr in $T/err, status in RC.
run() {
	timeout 60 "$DRV" "$@" 2>"$T/err"
	RC=$?
}

# expect CASE CODE PATTERN...: checks RC and that $T/err has each pattern
# (fixed strings) and the diag prefix.
expect() {
	name=$1 code=$2
	shift 2
	if [ "$RC" -ne "$code" ]; then
		bad "$name" "exit $RC, expected $code"
		return 1
	fi
	if ! grep -q '^zongjie: .*error: ' "$T/err"; then
		bad "$name" "no 'zongjie: ... error:' message"
		return 1
	fi
	for p in "$@"; do
		if ! grep -qF -- "$p" "$T/err"; then
			bad "$name" "message lacks \"$p\""
			return 1
		fi
	done
	ok "$name"
}

count() { find "$1" -name '*.eml' | wc -l; }

SUBJECT='青禾县工业集中发展区2021年1—12月工作总结与2022年工作思路（送审稿）'
BODY='各位领导：

附件为青禾园区2021年工作总结，请审阅。这一行故意写得很长，长到超过七十六个字符，检验软换行后仍能还原为同一段文字。
.
此致'

# --- 1. success: everything decodes back ----------------------------------
ini ok
run "$T/ok.ini" "$SUBJECT" "$BODY" "$PDF"
if [ "$RC" -ne 0 ] || [ -s "$T/err" ]; then
	bad "send to 4 recipients" "exit $RC (expected 0, silent)"
elif ! "$PY" - "$T/auth" "$PDF" "$SUBJECT" "$BODY" >"$T/check" 2>&1 <<'EOF'
import email.policy, email.utils, json, sys
from email.parser import BytesParser
d, pdf, subject, body = sys.argv[1:]
raw = open(d + "/msg-001.eml", "rb").read()
env = json.load(open(d + "/msg-001.json"))
m = BytesParser(policy=email.policy.default).parsebytes(raw)
fail = []
def check(cond, what):
    if not cond: fail.append(what)
check(not m.defects, "defects: %r" % m.defects)
check(m["Subject"] == subject, "Subject %r" % m["Subject"])
check(str(m["From"]) == "青禾园区办公室 <office@qinghe.example>", "From %s" % m["From"])
to = [(a.display_name, a.addr_spec) for a in m["To"].addresses]
check(to == [("张三", "zhang@example.com"), ("", "li@example.com")], "To %r" % to)
cc = [(a.display_name, a.addr_spec) for a in m["Cc"].addresses]
check(cc == [("王五", "wang@example.com"), ("Zhao Liu", "zhao@example.com")], "Cc %r" % cc)
check(sorted(env["rcpt_tos"]) == sorted(["zhang@example.com", "li@example.com",
      "wang@example.com", "zhao@example.com"]), "envelope %r" % env["rcpt_tos"])
check(env["mail_from"] == "office@qinghe.example", "MAIL FROM %r" % env["mail_from"])
check(env["auth_login"] == "zj", "AUTH login %r" % env["auth_login"])
check(email.utils.parsedate_to_datetime(m["Date"]) is not None, "Date")
check(m["Message-ID"] and m["Message-ID"].endswith("@qinghe.example>"), "Message-ID %r" % m["Message-ID"])
check(raw.lower().count(b"\nmime-version:") + raw.lower().startswith(b"mime-version:") == 1, "one MIME-Version")
check(m.get_content_type() == "multipart/mixed", "type %s" % m.get_content_type())
texts = [p for p in m.walk() if p.get_content_type() == "text/plain"]
check(len(texts) == 1 and texts[0].get_content_charset() == "utf-8", "text part")
if texts:
    got = texts[0].get_content().replace("\r\n", "\n")
    check(got == body, "body %r" % got)
att = list(m.iter_attachments())
check(len(att) == 1, "%d attachments" % len(att))
if att:
    a = att[0]
    check(a.get_content_type() == "application/pdf", "attachment type")
    check(a.get_content_disposition() == "attachment", "disposition")
    check(a.get_filename() == "青禾园区2021年工作总结.pdf", "filename %r" % a.get_filename())
    check(a["Content-Transfer-Encoding"] == "base64", "attachment CTE")
    check(a.get_content() == open(pdf, "rb").read(), "attachment bytes differ")
    check(not a.defects, "attachment defects %r" % a.defects)
# Headers written by mail.c: no line over 76 characters; nothing over 998.
head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
cur = None
for line in raw.split(b"\r\n"):
    check(len(line) <= 998, "line over 998")
    if line[:1] not in (b" ", b"\t"):
        cur = line.split(b":", 1)[0].lower()
    if cur in (b"subject", b"from", b"to", b"cc", b"date", b"message-id",
               b"content-disposition") or line.startswith(b" name="):
        check(len(line) <= 76, "header line over 76: %r" % line)
check(any(l.startswith(b" =?UTF-8?B?") for l in head), "Subject not folded")
print("\n".join(fail))
sys.exit(1 if fail else 0)
EOF
then
	bad "send to 4 recipients" "$(tr '\n' ';' <"$T/check")"
else
	ok "send to 4 recipients: Subject, names, file name, PDF bytes, envelope"
fi

# --- 2. no body, ASCII names, no authentication -----------------------------
cp "$PDF" "$T/report-2021-12.pdf"
ini noauth "url=smtp://127.0.0.1:$OPENPORT" user= password_file= cc= \
    "to=ops@example.com" "from=reports@example.com"
run "$T/noauth.ini" "Monthly report 2021-12" - "$T/report-2021-12.pdf"
if [ "$RC" -ne 0 ] || [ -s "$T/err" ]; then
	bad "no body, no AUTH, ASCII" "exit $RC"
elif ! "$PY" - "$T/open/msg-001.eml" "$T/report-2021-12.pdf" >"$T/check" 2>&1 <<'EOF'
import email.policy, sys
from email.parser import BytesParser
m = BytesParser(policy=email.policy.default).parsebytes(open(sys.argv[1], "rb").read())
att = list(m.iter_attachments())
assert not m.defects, m.defects
assert m["Subject"] == "Monthly report 2021-12", m["Subject"]
assert "=?" not in m.as_string().split("\n\n")[0].split("Subject:")[1].split("\n")[0]
assert "Cc" not in m, m["Cc"]
assert [p.get_content_type() for p in m.walk()] == ["multipart/mixed", "application/pdf"]
assert len(att) == 1 and att[0].get_filename() == "report-2021-12.pdf", att[0].get_filename()
assert att[0].get_content() == open(sys.argv[2], "rb").read()
EOF
then
	bad "no body, no AUTH, ASCII" "$(tr '\n' ';' <"$T/check")"
else
	ok "no body, no AUTH, ASCII subject and file name"
fi

# --- 3. the server refuses a recipient --------------------------------------
n=$(count "$T/auth")
ini refuse "to=zhang@example.com, bad@example.com"
run "$T/refuse.ini" "$SUBJECT" "$BODY" "$PDF"
if expect "recipient refused (550)" 7 "smtp://127.0.0.1:$AUTHPORT" "550" \
    "bad@example.com" && [ "$(count "$T/auth")" -ne "$n" ]; then
	pass=$((pass - 1))
	bad "recipient refused (550)" "a message was delivered anyway"
fi

# --- 4. nobody listening ------------------------------------------------------
ini down "url=smtp://127.0.0.1:$DOWNPORT"
run "$T/down.ini" "$SUBJECT" "$BODY" "$PDF"
expect "server down" 7 "smtp://127.0.0.1:$DOWNPORT" "cannot connect"

# --- 5. wrong password --------------------------------------------------------
ini wrong "password_file=$T/wrong"
run "$T/wrong.ini" "$SUBJECT" "$BODY" "$PDF"
expect "wrong password (535)" 7 "smtp://127.0.0.1:$AUTHPORT" "535" \
    "authentication" "$T/wrong"

# --- 6. password file readable by others: refused before connecting ---------
# (the URL is the closed port: connecting would give another message)
ini mode "password_file=$T/pass644" "url=smtp://127.0.0.1:$DOWNPORT"
run "$T/mode.ini" "$SUBJECT" "$BODY" "$PDF"
if expect "password file mode 0644" 7 "$T/pass644" "group or others" "0644" &&
    grep -q connect "$T/err"; then
	pass=$((pass - 1))
	bad "password file mode 0644" "it tried to connect"
fi

# --- 7. a server that never answers: bounded by [mail] timeout --------------
ini mute "url=smtp://127.0.0.1:$MUTEPORT" timeout=2
start_s=$(date +%s)
run "$T/mute.ini" "$SUBJECT" "$BODY" "$PDF"
if expect "timeout" 7 "smtp://127.0.0.1:$MUTEPORT" "timeout = 2 s" &&
    [ $(($(date +%s) - start_s)) -gt 20 ]; then
	pass=$((pass - 1))
	bad "timeout" "took more than 20 s"
fi

# --- 8. starttls = yes, server without STARTTLS ------------------------------
ini tls starttls=yes
run "$T/tls.ini" "$SUBJECT" "$BODY" "$PDF"
expect "starttls required but not offered" 7 "smtp://127.0.0.1:$AUTHPORT" \
    "STARTTLS"

# --- 9. a bad address is reported before connecting -------------------------
ini addr "to=张三 zhang(at)example.com" "url=smtp://127.0.0.1:$DOWNPORT"
run "$T/addr.ini" "$SUBJECT" "$BODY" "$PDF"
expect "bad address" 7 "[mail] to:" "not a mail address"

# --- 10. zongjie --mail: renders the sample, renames it into place, mails it
if [ -x "$ZJ" ]; then
	OUT="$T/青禾园区2021年工作总结.pdf"
	rm -f "$OUT"
	n=$(count "$T/auth")
	ini zj
	timeout 120 "$ZJ" --mail -c "$T/zj.ini" -o "$OUT" 2>"$T/err"
	RC=$?
	last=$(find "$T/auth" -name '*.eml' | sort | tail -n 1)
	if [ "$RC" -ne 0 ] || [ -s "$T/err" ]; then
		bad "zongjie --mail" "exit $RC"
	elif [ "$(count "$T/auth")" -ne $((n + 1)) ]; then
		bad "zongjie --mail" "no message arrived"
	elif ! "$PY" - "$last" "$OUT" >"$T/check" 2>&1 <<'EOF'
import email.policy, sys
from email.parser import BytesParser
m = BytesParser(policy=email.policy.default).parsebytes(open(sys.argv[1], "rb").read())
assert not m.defects, m.defects
# [mail] subject = {year}年{months}工作总结, period 2021-12
assert m["Subject"] == "2021年1—12月工作总结", m["Subject"]
att = list(m.iter_attachments())
assert len(att) == 1, att
assert att[0].get_filename() == "青禾园区2021年工作总结.pdf", att[0].get_filename()
assert att[0].get_content() == open(sys.argv[2], "rb").read(), "PDF bytes differ"
EOF
	then
		bad "zongjie --mail" "$(tr '\n' ';' <"$T/check")"
	else
		ok "zongjie --mail: subject from placeholders, file name, the PDF written"
	fi

	# --mail-to ADDR: this run's PDF to ADDR only, not to [mail] to/cc.
	n=$(count "$T/auth")
	timeout 120 "$ZJ" --mail-to '测试 <test@example.com>' -c "$T/zj.ini" \
	    -o "$T/copy.pdf" 2>"$T/err"
	RC=$?
	last=$(find "$T/auth" -name '*.json' | sort | tail -n 1)
	if [ "$RC" -ne 0 ] || [ "$(count "$T/auth")" -ne $((n + 1)) ]; then
		bad "zongjie --mail-to" "exit $RC, $(($(count "$T/auth") - n)) messages"
	elif ! "$PY" - "$last" "${last%.json}.eml" >"$T/check" 2>&1 <<'EOF2'
import email.policy, json, sys
from email.parser import BytesParser
env = json.load(open(sys.argv[1]))
m = BytesParser(policy=email.policy.default).parsebytes(open(sys.argv[2], "rb").read())
assert env["rcpt_tos"] == ["test@example.com"], env["rcpt_tos"]
assert [a.addr_spec for a in m["To"].addresses] == ["test@example.com"], m["To"]
assert "Cc" not in m, m["Cc"]
EOF2
	then
		bad "zongjie --mail-to" "$(tr '\n' ';' <"$T/check")"
	else
		ok "zongjie --mail-to: to that address only, no Cc"
	fi

	# --- mail safety ---------------------------------------------------------
	# A user is set but the server offers no AUTH: nothing is sent, exit 7.
	n=$(count "$T/open")
	ini noauthuser "url=smtp://127.0.0.1:$OPENPORT"
	timeout 120 "$ZJ" --mail -c "$T/noauthuser.ini" -o "$T/na.pdf" 2>"$T/err"
	RC=$?
	if expect "user set, server offers no AUTH: exit 7" 7 "offers no authentication" \
	    "user = zj" && [ "$(count "$T/open")" -ne "$n" ]; then
		pass=$((pass - 1))
		bad "user set, server offers no AUTH" "a message was delivered unauthenticated"
	fi
	# --check validates [mail]: a bad address, a loose password file.
	ini chkaddr "to=张三 zhang(at)example.com"
	timeout 120 "$ZJ" --check -c "$T/chkaddr.ini" >/dev/null 2>"$T/err"
	RC=$?
	expect "--check: a bad [mail] to address, exit 7" 7 "[mail] to:" "not a mail address"
	ini chkpass "password_file=$T/pass644"
	timeout 120 "$ZJ" --check -c "$T/chkpass.ini" >/dev/null 2>"$T/err"
	RC=$?
	expect "--check: a password file others can read, exit 7" 7 "$T/pass644" "group or others"
	ini chknone "password_file=$T/nonexistent.pass"
	timeout 120 "$ZJ" --check -c "$T/chknone.ini" >/dev/null 2>"$T/err"
	RC=$?
	expect "--check: a missing password file, exit 7" 7 "$T/nonexistent.pass" "cannot open password file"
	ini chkerr "errors_to=ops at example"
	timeout 120 "$ZJ" --check -c "$T/chkerr.ini" >/dev/null 2>"$T/err"
	RC=$?
	expect "--check: a bad errors_to address, exit 7" 7 "[mail] errors_to:"

	# --- failure mail: [mail] errors_to --------------------------------------
	# A data error (no exports for 2021-11): exit 3 kept, no PDF, the
	# located messages mailed to errors_to only.
	n=$(count "$T/open")
	ini fail "url=smtp://127.0.0.1:$OPENPORT" user= password_file= \
	    "errors_to=运维 <ops@example.com>" "errors_subject=zongjie {period} 失败"
	timeout 120 "$ZJ" --mail -p 2021-11 -c "$T/fail.ini" -o "$T/fail.pdf" 2>"$T/err"
	RC=$?
	last=$(find "$T/open" -name '*.json' | sort | tail -n 1)
	if [ "$RC" -ne 3 ]; then
		bad "failure mail: data error" "exit $RC, expected 3"
	elif [ -e "$T/fail.pdf" ]; then
		bad "failure mail: data error" "a PDF was written"
	elif [ "$(count "$T/open")" -ne $((n + 1)) ]; then
		bad "failure mail: data error" "$(($(count "$T/open") - n)) messages arrived, expected 1"
	elif ! "$PY" - "$last" "${last%.json}.eml" "$R/input/2021-11/kpi.csv" >"$T/check" 2>&1 <<'EOF2'
import email.policy, json, sys
from email.parser import BytesParser
env = json.load(open(sys.argv[1]))
m = BytesParser(policy=email.policy.default).parsebytes(open(sys.argv[2], "rb").read())
assert env["rcpt_tos"] == ["ops@example.com"], env["rcpt_tos"]
assert m["Subject"] == "zongjie 2021-11 失败", m["Subject"]
assert not list(m.iter_attachments()), "an attachment"
body = m.get_body(("plain",)).get_content()
want = "zongjie: %s: error: cannot open CSV" % sys.argv[3]
assert want in body, body
assert "(exit 3)" in body, body
EOF2
	then
		bad "failure mail: data error" "$(tr '\n' ';' <"$T/check")"
	else
		ok "failure mail: a data error's located messages to errors_to, exit 3 kept"
	fi
	# A configuration error: its [mail] is still read for errors_to.
	n=$(count "$T/open")
	sed 's/^missing = —$/missing = —\ncolour = red/' "$T/fail.ini" >"$T/failcfg.ini"
	timeout 120 "$ZJ" --mail -c "$T/failcfg.ini" -o "$T/fail.pdf" 2>"$T/err"
	RC=$?
	last=$(find "$T/open" -name '*.eml' | sort | tail -n 1)
	if [ "$RC" -ne 2 ]; then
		bad "failure mail: configuration error" "exit $RC, expected 2"
	elif [ "$(count "$T/open")" -ne $((n + 1)) ]; then
		bad "failure mail: configuration error" "no message arrived"
	elif ! grep -q "colour: error: unknown key" "$last" &&
	    ! "$PY" -c 'import email,sys,email.policy;m=email.message_from_binary_file(open(sys.argv[1],"rb"),policy=email.policy.default);sys.exit(0 if "colour: error: unknown key" in m.get_body(("plain",)).get_content() else 1)' "$last"; then
		bad "failure mail: configuration error" "the message lacks the error"
	else
		ok "failure mail: a configuration error, exit 2 kept"
	fi
	# A failure mail that cannot be sent: reported, the run's exit code kept.
	ini faildown "url=smtp://127.0.0.1:$DOWNPORT" user= password_file= \
	    "errors_to=ops@example.com"
	timeout 120 "$ZJ" --mail -p 2021-11 -c "$T/faildown.ini" -o "$T/fail.pdf" 2>"$T/err"
	RC=$?
	expect "failure mail not sendable: exit 3 kept, reported" 3 "cannot connect"

	# --- [mail] attach: the PDF and the DOCX in one mail ---------------------
	# attmail CASE DIR TYPES...: the newest message of the auth server has
	# exactly the attachments TYPES (pdf|docx, in order), each named
	# 青禾园区2021年工作总结.TYPE (RFC 2231 in the header), typed
	# application/pdf or WordprocessingML, and decoding to DIR's file.
	attmail() {
		name=$1 dir=$2
		shift 2
		last=$(find "$T/auth" -name '*.eml' | sort | tail -n 1)
		if ! "$PY" - "$last" "$dir" "$@" >"$T/check" 2>&1 <<'EOF2'
import email.policy, sys
from email.parser import BytesParser
eml, d, want = sys.argv[1], sys.argv[2], sys.argv[3:]
raw = open(eml, "rb").read()
m = BytesParser(policy=email.policy.default).parsebytes(raw)
types = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-"
         "officedocument.wordprocessingml.document"}
fail = []
if m.defects: fail.append("defects %r" % m.defects)
att = list(m.iter_attachments())
got = [a.get_filename() for a in att]
names = ["青禾园区2021年工作总结." + w for w in want]
if got != names: fail.append("attachments %r, expected %r" % (got, names))
for a, w, n in zip(att, want, names):
    if a.get_content_type() != types[w]: fail.append("%s: type %s" % (n, a.get_content_type()))
    if a.get_content_disposition() != "attachment": fail.append(n + ": disposition")
    if a.defects: fail.append("%s: defects %r" % (n, a.defects))
    if a.get_content() != open(d + "/" + n, "rb").read(): fail.append(n + ": bytes differ from the file")
if "docx" in want and not open(d + "/" + names[want.index("docx")], "rb").read().startswith(b"PK"):
    fail.append("the DOCX is not a ZIP")
# The raw parts: each attachment's name RFC 2231 encoded, no header line
# over 76 characters (the DOCX type folded onto a line of its own).
parts = raw.split(b"\r\n--=_zongjie_")
if len(parts) != len(want) + 2: fail.append("%d MIME parts" % (len(parts) - 2))
for part in parts:
    h = part.split(b"\r\n\r\n", 1)[0]
    if b"Content-Disposition" in h and b"filename*=UTF-8''" not in h and \
       b"filename*0*=UTF-8''" not in h:
        fail.append("no RFC 2231 file name in %r" % h[:200])
    for line in h.split(b"\r\n"):
        if len(line) > 76:
            fail.append("header line over 76: %r" % line[:80])
print("\n".join(fail))
sys.exit(1 if fail else 0)
EOF2
		then
			bad "$name" "$(tr '\n' ';' <"$T/check")"
			return 1
		fi
		ok "$name"
	}
	# zjmail NAME OUTPUT [ARGS]: zongjie --mail -c $T/NAME.ini -o OUTPUT ARGS,
	# RC and NEW (messages that arrived at the auth server).
	zjmail() {
		n=$(count "$T/auth")
		ini_=$1 out_=$2
		shift 2
		timeout 120 "$ZJ" --mail -c "$T/$ini_.ini" -o "$out_" "$@" 2>"$T/err"
		RC=$?
		NEW=$(($(count "$T/auth") - n))
	}
	A=$T/attach
	STEM=$A/青禾园区2021年工作总结
	mkdir -p "$A"
	ini both "attach=pdf, docx"
	zjmail both "$STEM.pdf"
	if [ "$RC" -ne 0 ] || [ -s "$T/err" ] || [ "$NEW" -ne 1 ]; then
		bad "attach = pdf, docx" "exit $RC, $NEW messages (expected 0, silent, 1)"
	elif [ ! -s "$STEM.docx" ]; then
		bad "attach = pdf, docx" "no DOCX written beside the PDF"
	else
		attmail "attach = pdf, docx: one mail, the PDF then the DOCX, bytes as on disk" "$A" pdf docx
	fi
	# The order is the list's; a DOCX output with the PDF beside it.
	rm -f "$STEM.pdf" "$STEM.docx"
	ini rev "attach=docx, PDF"
	zjmail rev "$STEM.docx"
	if [ "$RC" -ne 0 ] || [ "$NEW" -ne 1 ] || [ ! -s "$STEM.pdf" ]; then
		bad "attach = docx, PDF with a .docx output" "exit $RC, $NEW messages, PDF written: $([ -s "$STEM.pdf" ] && echo yes || echo no)"
	else
		attmail "attach = docx, PDF: the DOCX first; a .docx output gets its PDF beside it" "$A" docx pdf
	fi
	# attach = docx alone with a PDF output: both written, the DOCX mailed;
	# --mail-to still sends to that address only.
	ini only "attach=docx"
	n=$(count "$T/auth")
	timeout 120 "$ZJ" --mail-to test@example.com -c "$T/only.ini" -o "$STEM.pdf" 2>"$T/err"
	RC=$?
	last=$(find "$T/auth" -name '*.json' | sort | tail -n 1)
	if [ "$RC" -ne 0 ] || [ "$(count "$T/auth")" -ne $((n + 1)) ]; then
		bad "attach = docx, --mail-to" "exit $RC"
	elif ! grep -q '"rcpt_tos": \["test@example.com"\]' "$last"; then
		bad "attach = docx, --mail-to" "envelope $(cat "$last")"
	else
		attmail "attach = docx with a PDF output, --mail-to: the DOCX only, to that address" "$A" docx
	fi
	# No attach key: the output's own format, as before (a .docx output
	# sends its DOCX, and writes no PDF).
	rm -f "$STEM.pdf" "$STEM.docx"
	zjmail zj "$STEM.docx"
	if [ "$RC" -ne 0 ] || [ "$NEW" -ne 1 ] || [ -e "$STEM.pdf" ]; then
		bad "no attach key, .docx output" "exit $RC, $NEW messages, a PDF written: $([ -e "$STEM.pdf" ] && echo yes || echo no)"
	else
		attmail "no attach key: a .docx output mails its DOCX alone, no PDF written" "$A" docx
	fi

	# Bad lists: a configuration error at [mail] attach (exit 2), nothing
	# written, nothing sent.
	rm -f "$STEM.pdf" "$STEM.docx"
	for c in "word|pdf, word|\"word\" is not pdf or docx" \
	    "typo|pdf, docs|did you mean \"docx\"" \
	    "dup|docx, pdf, DOCX|\"DOCX\" is listed twice" \
	    "holes|pdf,,docx|has an empty item" \
	    "empty||the list is empty"; do
		cn=${c%%|*} rest=${c#*|}
		val=${rest%%|*} msg=${rest#*|}
		ini "att$cn"
		printf 'attach = %s\n' "$val" >>"$T/att$cn.ini"
		zjmail "att$cn" "$STEM.pdf"
		if expect "[mail] attach = $val: exit 2, located" 2 \
		    "att$cn.ini: [mail] attach: error: " "$msg"; then
			if [ "$NEW" -ne 0 ] || [ -e "$STEM.pdf" ] || [ -e "$STEM.docx" ]; then
				pass=$((pass - 1))
				bad "[mail] attach = $val" "something was written or sent"
			fi
		fi
	done

	# -o x.docx --format pdf: the DOCX to attach would be the output itself.
	zjmail both "$A/x.docx" --format pdf
	if expect "attach = pdf, docx with -o x.docx --format pdf: exit 2" 2 \
	    "both.ini: [mail] attach: error: " "would be written over the output"; then
		if [ "$NEW" -ne 0 ] || [ -e "$A/x.docx" ]; then
			pass=$((pass - 1)); bad "-o x.docx --format pdf" "written or sent"
		fi
	fi

	# Writing the DOCX fails (another run holds its lock, after the PDF
	# was written): exit 8 as for the PDF, no mail, the last good DOCX
	# byte-identical.
	zjmail both "$STEM.pdf"
	cp "$STEM.docx" "$T/good.docx"
	"$PY" -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close(); time.sleep(60)' "$A/.青禾园区2021年工作总结.docx.lock" "$T/locked" &
holder=$!
	pids="$pids $holder"
	i=0
	while [ ! -e "$T/locked" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	zjmail both "$STEM.pdf"
	kill "$holder" 2>/dev/null
	if expect "attach = pdf, docx, the DOCX cannot be written: exit 8" 8 \
	    "another zongjie run is"; then
		if [ "$NEW" -ne 0 ]; then
			pass=$((pass - 1)); bad "DOCX write fails" "a mail was sent"
		elif ! cmp -s "$T/good.docx" "$STEM.docx"; then
			pass=$((pass - 1)); bad "DOCX write fails" "the last good DOCX changed"
		elif ls -A "$A" | grep -Eq '^\..*\.[A-Za-z0-9]{6}$'; then
			pass=$((pass - 1)); bad "DOCX write fails" "a temporary file was left"
		fi
	fi
	# The DOCX's path is a directory: refused before any work (exit 6),
	# the last good PDF kept, no mail.
	cp "$STEM.pdf" "$T/good.pdf"
	mkdir -p "$A/dir"
	mkdir "$A/dir/x.docx"
	cp "$T/good.pdf" "$A/dir/x.pdf"
	zjmail both "$A/dir/x.pdf"
	if expect "attach = pdf, docx, the DOCX path is a directory: exit 6" 6 \
	    "x.docx: error: is a directory"; then
		if [ "$NEW" -ne 0 ] || ! cmp -s "$T/good.pdf" "$A/dir/x.pdf"; then
			pass=$((pass - 1)); bad "DOCX path a directory" "mailed, or the PDF changed"
		fi
	fi

	# A failed send: exit 7, and the PDF is kept.
	ini zjdown "url=smtp://127.0.0.1:$DOWNPORT"
	rm -f "$T/kept.pdf"
	timeout 120 "$ZJ" --mail -c "$T/zjdown.ini" -o "$T/kept.pdf" 2>"$T/err"
	RC=$?
	if expect "zongjie --mail, server down: exit 7" 7 "cannot connect" &&
	    [ ! -s "$T/kept.pdf" ]; then
		pass=$((pass - 1))
		bad "zongjie --mail, server down" "the PDF was not kept"
	fi

	# libcurl is loaded only to send: without it, exit 7 naming it, and
	# the PDF is kept.  A run without --mail never maps it.
	rm -f "$T/kept.pdf"
	ZONGJIE_LIBCURL=/nonexistent/libcurl.so.4 timeout 120 "$ZJ" --mail \
	    -c "$T/ok.ini" -o "$T/kept.pdf" 2>"$T/err"
	RC=$?
	if expect "zongjie --mail without libcurl: exit 7" 7 \
	    "cannot load /nonexistent/libcurl.so.4" "libcurl4" &&
	    [ ! -s "$T/kept.pdf" ]; then
		pass=$((pass - 1))
		bad "zongjie --mail without libcurl" "the PDF was not kept"
	fi
	if ldd "$ZJ" | grep -q libcurl; then
		bad "zongjie is not linked with libcurl" "ldd lists libcurl"
	else
		ok "zongjie is not linked with libcurl (dlopen at --mail)"
	fi
fi

finish
