#!/usr/bin/python3
"""Compares the text of zongjie's PDF with the text of the PDF LibreOffice
made from zongjie's DOCX of the same report.

usage: docx_text.py OURS.pdf THEIRS.pdf DUMP.txt

Both are extracted with `pdftotext -raw` (content order) and all
whitespace is removed.  Only what pagination adds is taken out before the
comparison, from both: the page numbers (— N —), and for each table of
the tree the 续表 label with the unit line and header row zongjie repeats
on a continuation page, and the header rows Word/LibreOffice repeat
(every occurrence of the header after the first).  Everything else —
title, headings with their numbers, paragraphs, table cells, the
signature and date — must be equal, in the same order.

One difference is LibreOffice's own and is allowed, counted and
printed: LibreOffice (7.4) lets a closing punctuation mark that does not
fit hang past the right margin (it does not honour w:overflowPunct="0")
and in a justified paragraph on the line grid often does not paint it at
all (seen in its PDF and in the page rendered to PNG), where zongjie,
Word and WPS compress the mark to fit (clreq).  So a mark from PUNCT
that LibreOffice's PDF lacks exactly at the end of one of its lines is
passed over; anywhere else a missing mark is a failure.  Prints the first
difference with context; exits 1 when they differ."""
import re
import subprocess
import sys

QSTR = r'"(?:[^"\\]|\\.)*"'


def unq(s):
    return s[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def tables(dump):
    """(header text, unit) of each table of the tree."""
    out = []
    kind = None
    unit = ""
    for line in open(dump, encoding="utf-8"):
        if not line.startswith(" "):
            kind = line.split(" ", 1)[0]
            unit = ""
            continue
        s = line.strip()
        if kind == "table" and line.startswith("  unit "):
            unit = unq(s[5:])
        if kind == "table" and line.startswith("  columns "):
            out.append(("".join(unq(q) for q in re.findall(QSTR, s)),
                        re.sub(r"\s", "", unit)))
    return out


PUNCT = "，。、；：！？”’）》〉】"
END = "\x00"


def text(pdf, ends):
    """The text without whitespace or page numbers; with ends, each line
    end is marked END."""
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                         check=True, capture_output=True).stdout
    s = raw.decode("utf-8")
    s = re.sub(r"^[ \t]*—[ \t]*\d+[ \t]*—[ \t]*$", "", s, flags=re.M)
    if ends:
        s = s.replace("\n", END)
    s = re.sub(r"\s", "", s)
    return re.sub(END + "+", END, s)


def compare(a, b):
    """Returns (index in a of the first difference or None, index in b,
    number of hanging marks passed over)."""
    i = j = hung = 0
    while i < len(a) and j < len(b):
        if b[j] == END:
            j += 1
            if (i < len(a) and a[i] in PUNCT and
                    (j >= len(b) or b[j] != a[i])):
                i += 1
                hung += 1
            continue
        if a[i] != b[j]:
            return i, j, hung
        i += 1
        j += 1
    while j < len(b) and b[j] == END:
        j += 1
    if i < len(a) or j < len(b):
        return i, j, hung
    return None, None, hung


def drop_repeats(s, needle):
    """s with every occurrence of needle after the first removed; line-end
    marks may fall anywhere inside an occurrence."""
    pat = re.compile((END + "?").join(re.escape(ch) for ch in needle))
    first = pat.search(s)
    if first is None:
        return s
    return s[:first.end()] + pat.sub("", s[first.end():])

def main():
    ours, theirs, dump = sys.argv[1:4]
    a, b = text(ours, False), text(theirs, True)
    for hdr, unit in tables(dump):
        hdr = re.sub(r"\s", "", hdr)
        a = a.replace("续表" + unit + hdr, hdr)
        a = a.replace("续表" + hdr, hdr)
        a = drop_repeats(a, hdr)
        b = drop_repeats(b, hdr)
    i, j, hung = compare(a, b)
    if i is None:
        print("docx_text: %d characters equal; %d line-end mark(s) "
              "LibreOffice hung past the margin and did not paint" %
              (len(a), hung))
        print("docx_text: 1 passed, 0 failed")
        return 0
    b = b.replace(END, "|")
    print("FAIL: texts differ at character %d of %d (LibreOffice: %d)" %
          (i, len(a), j))
    print("  zongjie PDF: ...%s[%s]" % (a[max(0, i - 40):i], a[i:i + 40]))
    print("  LibreOffice: ...%s[%s]" % (b[max(0, j - 40):j], b[j:j + 40]))
    print("docx_text: 0 passed, 1 failed")
    return 1

if __name__ == "__main__":
    sys.exit(main())
