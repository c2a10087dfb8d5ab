#!/bin/sh
# glyph-ink.sh PDF: checks that every word pdftotext finds in PDF is drawn
# with visible ink.  Renders each page at 100 dpi in grey (pdftoppm -gray,
# PGM), takes the word boxes of `pdftotext -bbox`, and looks for dark
# pixels in each box; a word made only of full-width (CJK) characters is
# split evenly into one cell per character and every cell is checked.
# A box holding a Latin letter or digit must also have ink in its lower
# 40% (baseline to about x-height/2): that catches accented letters whose
# base letter was lost (libharu 2.3.0 drops nested composite components:
# "ǖ" drawn as a bare macron), at least when the letter stands alone as a
# word.  Catches glyphs libharu embeds blank or drops (broken composites,
# .notdef, characters missing from the font).
# Exit status: 0 all inked, 1 blank boxes (listed on stderr), 2 usage or
# tool failure.  Needs poppler-utils and python3 (standard library only).
set -u
if [ $# -ne 1 ] || [ ! -r "$1" ]; then
	echo "usage: glyph-ink.sh FILE.pdf" >&2
	exit 2
fi
pdf=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/glyph-ink.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
if ! pdftoppm -r 100 -gray "$pdf" "$tmp/page" ||
    ! pdftotext -bbox "$pdf" "$tmp/words.html" 2>"$tmp/pdftotext.err"; then
	echo "glyph-ink.sh: poppler failed on $pdf" >&2
	exit 2
fi
python3 - "$tmp" <<'EOF'
import glob, html, math, os, re, sys, unicodedata

DPI = 100.0
DARK = 160          # grey level below which a pixel counts as ink

tmp = sys.argv[1]

def read_pgm(path):
    with open(path, 'rb') as f:
        data = f.read()
    # header: P5 width height maxval, separated by white space/comments
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            while data[pos:pos + 1] not in (b'\n', b''):
                pos += 1
            continue
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    if fields[0] != b'P5':
        raise SystemExit('glyph-ink.sh: %s is not a binary PGM' % path)
    w, h, maxval = int(fields[1]), int(fields[2]), int(fields[3])
    if maxval > 255:
        raise SystemExit('glyph-ink.sh: 16-bit PGM not supported')
    pix = data[pos + 1:pos + 1 + w * h]
    return w, h, pix

pages = sorted(glob.glob(os.path.join(tmp, 'page-*.pgm')),
               key=lambda p: int(re.search(r'-(\d+)\.pgm$', p).group(1)))
text = open(os.path.join(tmp, 'words.html'), encoding='utf-8').read()
page_re = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                     re.S)
word_re = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" '
                     r'xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', re.S)

def inked(img, x0, y0, x1, y1):
    w, h, pix = img
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(w, x1), min(h, y1)
    for y in range(y0, y1):
        row = pix[y * w + x0:y * w + x1]
        if row and min(row) < DARK:
            return True
    return False

def wide(c):
    return unicodedata.east_asian_width(c) in ('W', 'F')

def based(s):
    # Latin/Greek/Cyrillic letters and ASCII digits all have ink between
    # the baseline and ~0.28 em above it
    return any((unicodedata.category(c) in ('Lu', 'Ll') and ord(c) < 0x530)
               or '0' <= c <= '9' for c in s)

def check(img, x0, y0, x1, y1, s):
    if not inked(img, x0, y0, x1, y1):
        return 'blank'
    if based(s):
        ly0 = y1 - int(math.ceil((y1 - y0) * 0.4))
        if not inked(img, x0, ly0, x1, y1):
            return 'no ink near the baseline'
    return None

bad, nwords, ncells = [], 0, 0
page_texts = page_re.findall(text)
if len(page_texts) != len(pages):
    raise SystemExit('glyph-ink.sh: %d rendered pages but %d text pages'
                     % (len(pages), len(page_texts)))
for pno, ((pw, ph, body), path) in enumerate(zip(page_texts, pages), 1):
    img = read_pgm(path)
    s = DPI / 72.0
    for m in word_re.finditer(body):
        xmin, ymin, xmax, ymax = (float(v) for v in m.groups()[:4])
        word = html.unescape(m.group(5))
        nwords += 1
        x0, x1 = int(math.floor(xmin * s)), int(math.ceil(xmax * s))
        y0, y1 = int(math.floor(ymin * s)), int(math.ceil(ymax * s))
        chars = [c for c in word if not c.isspace()]
        if chars and all(wide(c) for c in chars) and len(chars) == len(word):
            n = len(chars)
            for i, c in enumerate(chars):
                cx0 = int(math.floor((xmin + (xmax - xmin) * i / n) * s))
                cx1 = int(math.ceil((xmin + (xmax - xmin) * (i + 1) / n) * s))
                ncells += 1
                why = check(img, cx0, y0, cx1, y1, c)
                if why:
                    bad.append('page %d: %r (U+%04X) in %r at %.1f,%.1f: %s'
                               % (pno, c, ord(c), word, xmin, ymin, why))
        else:
            ncells += 1
            why = check(img, x0, y0, x1, y1, word)
            if why:
                bad.append('page %d: %r at %.1f,%.1f-%.1f,%.1f: %s'
                           % (pno, word, xmin, ymin, xmax, ymax, why))
if nwords == 0:
    print('glyph-ink.sh: no text found', file=sys.stderr)
    sys.exit(1)
if bad:
    print('glyph-ink.sh: %d glyph box(es) without ink:' % len(bad), file=sys.stderr)
    for b in bad:
        print('  ' + b, file=sys.stderr)
    sys.exit(1)
print('glyph-ink.sh: %d words, %d boxes checked, all inked' % (nwords, ncells))
EOF
