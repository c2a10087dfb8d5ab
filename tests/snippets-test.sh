#!/bin/sh
# Every configuration and template snippet in README.md and docs/zongjie.1
# is checked with `zongjie --check` against the sample data, so the
# documentation never shows an INI or a template that does not work.
#
#  - README.md: each ```ini block, and each ```template block (rendered
#    with README's own complete INI example); an untagged block that starts
#    with an INI section header is a failure (tag it).
#  - docs/zongjie.1: each .Bd -literal block that starts with a section
#    header; a block with only some sections is completed by a minimal
#    [report] and [fonts].
#
# For each, a directory gets the snippet as report.ini, a template with
# an @table / @chart line for each [table.*] / [chart.*] (or the template
# snippet), and the sample CSV of the same name at every [data.*] file
# path; a password_file is replaced by a 0600 file of the test's own.
#
# usage: tests/snippets-test.sh ./zongjie     (from the repository root)
set -u
ZJ=${1:-./zongjie}
case $ZJ in /*) ;; *) ZJ=$(pwd)/$ZJ ;; esac
R=$(pwd)
T=$R/tests/tmp/snippets.$$
rm -rf "$T"
mkdir -p "$T"
python3 - "$ZJ" "$R" "$T" <<'PY'
import os, re, shutil, subprocess, sys
zj, root, tmp = sys.argv[1:4]
sample = os.path.join(root, "input", "2021-12")
fails, passes = [], 0

def readme_blocks():
    text = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.M | re.S):
        line = text[:m.start()].count("\n") + 1
        yield "README.md:%d" % line, m.group(1), m.group(2)

def man_blocks():
    lines = open(os.path.join(root, "docs", "zongjie.1"), encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith(".Bd -literal"):
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not lines[i].startswith(".Ed"):
                body.append(lines[i].replace("\\-", "-").replace("\\&", "").replace("\\(12", "½"))
                i += 1
            yield "docs/zongjie.1:%d" % start, "", "\n".join(body) + "\n"
        i += 1

def is_ini(body):
    first = body.lstrip("\n").split("\n", 1)[0]
    return re.match(r"^\[[A-Za-z0-9_.]+\]\s*$", first) is not None

def sections(ini):
    return re.findall(r"^\[([^\]]+)\]", ini, re.M)

MINIMAL = """[report]
title = {year}年工作总结
template = report.md
period = 2021-12
[fonts]
title = AR PL SungtiL GB
body = AR PL UMing CN
heading = WenQuanYi Zen Hei
subheading = AR PL UKai CN
latin = Liberation Serif
pagenum = AR PL UMing CN
"""

def check(name, ini, template=None):
    global passes
    d = os.path.join(tmp, re.sub(r"[^A-Za-z0-9]+", "_", name))
    os.makedirs(d)
    if "report" not in sections(ini):
        ini = MINIMAL + "\n" + ini
    pw = os.path.join(d, "smtp.pass")
    with open(pw, "w") as f:
        f.write("secret\n")
    os.chmod(pw, 0o600)
    ini = re.sub(r"^(password_file\s*=\s*)\S+", lambda m: m.group(1) + pw, ini, flags=re.M)
    tpl_path = "report.md"
    m = re.search(r"^template\s*=\s*(\S+)", ini, re.M)
    if m:
        tpl_path = m.group(1)
    if template is None:
        template = "# 概况\n\n{year}年工作。\n\n" + "".join(
            "@%s %s\n\n" % tuple(s.split(".", 1)) for s in sections(ini)
            if s.startswith(("table.", "chart.")))
    p = os.path.join(d, tpl_path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "w", encoding="utf-8").write(template)
    files = []
    for sec in re.split(r"^(?=\[)", ini, flags=re.M):
        m = re.search(r"^file\s*=\s*(\S+)", sec, re.M)
        if not m:
            continue
        # months = ytd reads January to the report's month.
        ytd = re.search(r"^months\s*=\s*ytd", sec, re.M) is not None
        for mo in (range(1, 13) if ytd else [12]):
            files.append(m.group(1).replace("{period}", "2021-%02d" % mo))
    for pat in files:
        path = (pat.replace("{period}", "2021-12").replace("{prev_period}", "2021-11")
                .replace("{prev_year}", "2020").replace("{next_year}", "2022")
                .replace("{year}", "2021").replace("{month}", "12")
                .replace("{prev_month}", "2021-11"))
        src = os.path.join(sample, os.path.basename(path))
        dst = os.path.join(d, path)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.exists(src):
            shutil.copy(src, dst)
    open(os.path.join(d, "report.ini"), "w", encoding="utf-8").write(ini)
    r = subprocess.run([zj, "-c", os.path.join(d, "report.ini"), "-p", "2021-12", "--check"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fails.append("%s: zongjie --check exits %d:\n%s" % (name, r.returncode, r.stderr[:1500]))
    else:
        passes += 1

readme_ini = None
blocks = list(readme_blocks())
for name, tag, body in blocks:
    if tag == "ini" and "[report]" in body and readme_ini is None:
        readme_ini = body
for name, tag, body in blocks:
    if tag == "ini":
        check(name, body)
    elif tag == "template":
        if readme_ini is None:
            fails.append("%s: no complete ```ini example in README.md to render it with" % name)
        else:
            check(name, readme_ini, body)
    elif is_ini(body):
        fails.append("%s: an INI snippet not tagged ```ini (so not checked)" % name)
nman = 0
for name, tag, body in man_blocks():
    if is_ini(body):
        nman += 1
        check(name, body)
if nman == 0:
    fails.append("docs/zongjie.1: no INI block found (the extractor is broken)")
if not any(t == "template" for _, t, _ in blocks):
    fails.append("README.md: no ```template block found")
for f in fails:
    print("FAIL: " + f, file=sys.stderr)
print("snippets: %d passed, %d failed" % (passes, len(fails)))
sys.exit(1 if fails else 0)
PY
rc=$?
[ $rc -eq 0 ] && rm -rf "$T"
exit $rc
