#!/usr/bin/python3
"""Checks a DOCX written by zongjie against its --dump-doc, with python-docx
(Debian python3-docx): styles by name with their office fonts and sizes,
the section's page and margins (GB/T 9704), the footers' PAGE fields,
tables (count, header row marked to repeat, cells equal to the tree's
rows, the 合计 row), headings (numbers as text, a bookmark each), charts
(count, categories and values equal to the tree's, in the chart and in its
embedded workbook), core properties.

usage: docx_check.py FILE.docx DUMP.txt [INI]
Prints one line per failed check and "docx_check: N passed, N failed";
exits 1 if any check failed."""
import re
import sys
import zipfile

import docx
from docx.oxml.ns import qn
from docx.shared import Mm

NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"

passed = 0
failed = 0


def check(name, cond):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + name)


def unq(s):
    """A quoted string of the dump."""
    return s[1:-1].replace('\\"', '"').replace("\\\\", "\\")


QSTR = r'"(?:[^"\\]|\\.)*"'


def parse_dump(path):
    """The tree's blocks: title, headings, tables (headers, rows, bold
    rows), charts (categories, series values)."""
    d = {"title": None, "headings": [], "tables": [], "charts": []}
    cur = None
    kind = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.startswith(" "):
            kind = line.split(" ", 1)[0]
            cur = None
            if kind == "table":
                cur = {"headers": [], "rows": [], "bold": []}
                d["tables"].append(cur)
            elif kind == "chart":
                cur = {"cats": [], "series": []}
                d["charts"].append(cur)
            elif kind == "heading":
                cur = {"level": int(line.rsplit(" ", 1)[1])}
                d["headings"].append(cur)
            continue
        s = line.strip()
        if kind == "title" and s.startswith("text ") and d["title"] is None:
            d["title"] = unq(s[5:])
        elif kind == "heading" and s.startswith("text ") and "text" not in cur:
            cur["text"] = unq(s[5:])
        elif kind == "table" and line.startswith("  columns "):
            cur["headers"] = [unq(q) for q in re.findall(QSTR, s)]
        elif kind == "table" and line.startswith("  row "):
            # A missing cell is "-" in the dump, the missing mark (—) in
            # the document.
            cells = [unq(q) if q != "-" else "—" for q in
                     re.findall(QSTR + r"|(?<= )-(?= |$)", s)]
            cur["rows"].append(cells)
            cur["bold"].append(" bold " in s.split('"', 1)[0] + " ")
        elif kind == "chart" and line.startswith("  categories"):
            cur["cats"] = [unq(q) for q in re.findall(QSTR, s)]
        elif kind == "chart" and line.startswith("  series "):
            m = re.match(r"series (\w+) (" + QSTR + r")(.*)$", s)
            vals = m.group(3).split()
            cur["series"].append((m.group(1), unq(m.group(2)), vals))
    return d


def check_styles(doc):
    want = {
        "Normal": ("仿宋_GB2312", 16), "Title": ("方正小标宋简体", 22),
        "Heading 1": ("黑体", 16), "Heading 2": ("楷体_GB2312", 16),
        "Heading 3": ("仿宋_GB2312", 16), "Heading 4": ("仿宋_GB2312", 16),
        "Table Heading": ("黑体", 12), "Table Text": ("仿宋_GB2312", 12),
    }
    names = [s.name for s in doc.styles]
    for name, (east, size) in want.items():
        check("style %s exists (have %s)" % (name, names), name in names)
        if name not in names:
            continue
        st = doc.styles[name]
        rf = st.element.rPr.rFonts if st.element.rPr is not None else None
        got = rf.get(qn("w:eastAsia")) if rf is not None else None
        check("style %s east-Asian font %s (got %s)" % (name, east, got),
              got == east)
        check("style %s Latin font Times New Roman" % name,
              rf is not None and rf.get(qn("w:ascii")) == "Times New Roman")
        check("style %s size %s pt (got %s)" % (name, size, st.font.size),
              st.font.size is not None and st.font.size.pt == size)
    ind = doc.styles["Normal"].paragraph_format
    check("Normal: 2-character first-line indent",
          ind.first_line_indent is not None and
          abs(ind.first_line_indent.pt - 2 * 442.205 / 28) < 0.1)
    for n in range(1, 5):
        ol = doc.styles["Heading %d" % n].element.find(
            qn("w:pPr") + "/" + qn("w:outlineLvl"))
        check("Heading %d outline level" % n,
              ol is not None and ol.get(qn("w:val")) == str(n - 1))


def twips(el, attr):
    """An integer attribute in twips (or any unit), None if absent."""
    v = el.get(qn(attr)) if el is not None else None
    return int(v) if v is not None else None


def style_ppr(doc, name, tag):
    st = doc.styles[name].element
    return st.find(qn("w:pPr") + "/" + qn(tag))


def check_grid(doc, s):
    """The GB/T 9704 grid, 22 lines x 28 characters, as Word computes it
    from the section: lines = block height / linePitch; characters = text
    width / (docDefaults size + charSpace/4096 pt).  Then what keeps 28
    characters a line in LibreOffice 7.4 (see src/docx_styles.c): the
    Normal style's characters scaled (w:w) to fit one cell of the pitch in
    whole twips less one, the 2号 title off the grid."""
    grid = s._sectPr.find(qn("w:docGrid"))
    gtype = grid.get(qn("w:type")) if grid is not None else None
    check("document grid type linesAndChars (got %s)" % gtype,
          gtype == "linesAndChars")
    pitch = twips(grid, "w:linePitch") or 0
    check("line grid: 22 lines in the 225 mm block (pitch %d twips)" % pitch,
          grid is not None and 22 * pitch <= Mm(225).twips < 23 * pitch)
    space = twips(grid, "w:charSpace")
    sz = doc.styles.element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr") +
        "/" + qn("w:sz"))
    size = twips(sz, "w:val")
    check("docDefaults size 3号 (got %s half-points)" % size, size == 32)
    if space is None or not size:
        check("w:charSpace present (got %s)" % space, False)
        return
    width = (s.page_width.twips - s.left_margin.twips -
             s.right_margin.twips) / 20
    cpitch = size / 2 + space / 4096
    chars = int(width // cpitch)
    check("character grid: 28 characters a line (charSpace %d: pitch "
          "%.3f pt in %.2f pt, %d)" % (space, cpitch, width, chars),
          chars == 28)
    # The largest charSpace that gives 28, as Word's dialog would write.
    check("charSpace is the largest giving 28 (one more: %d a line)" %
          int(width // (cpitch + 1 / 4096)),
          int(width // (cpitch + 1 / 4096)) < 28)
    scale = twips(doc.styles["Normal"].element.find(
        qn("w:rPr") + "/" + qn("w:w")), "w:val")
    cell = (int(cpitch * 20) - 1) / 20
    check("Normal's characters fit LibreOffice's cell (%s %% of 16 pt "
          "<= %.2f pt)" % (scale, cell),
          scale is not None and 90 <= scale < 100 and
          16 * scale / 100 <= cell and 16 * (scale + 1) / 100 > cell)
    for name in ("Heading 1", "Heading 2", "Subtitle"):
        snap = style_ppr(doc, name, "w:snapToGrid")
        check("%s on the grid" % name,
              snap is None or snap.get(qn("w:val")) not in ("0", "false"))
    snap = style_ppr(doc, "Title", "w:snapToGrid")
    line = style_ppr(doc, "Title", "w:spacing")
    check("Title off the grid, its line one grid line",
          snap is not None and snap.get(qn("w:val")) == "0" and
          twips(line, "w:line") == pitch)
    for name in ("Title", "Table Text"):
        check("%s not scaled" % name, twips(doc.styles[name].element.find(
            qn("w:rPr") + "/" + qn("w:w")), "w:val") in (None, 100))


def check_section(doc):
    s = doc.sections[0]
    for what, got, mm in (("page width", s.page_width, 210),
                          ("page height", s.page_height, 297),
                          ("top margin", s.top_margin, 37),
                          ("left margin", s.left_margin, 28),
                          ("right margin", s.right_margin, 26),
                          ("bottom margin", s.bottom_margin, 35)):
        check("%s %s mm (got %.2f mm)" % (what, mm, got.mm),
              abs(got.mm - mm) < 0.05)
    check_grid(doc, s)
    check("odd and even footers differ (evenAndOddHeaders)",
          doc.settings.odd_and_even_pages_header_footer)
    for name, f, jc in (("odd", s.footer, "right"),
                        ("even", s.even_page_footer, "left")):
        xml = f._element.xml
        check("%s footer has a PAGE field" % name, "PAGE" in xml)
        check("%s footer is aligned %s" % (name, jc),
              'w:jc w:val="%s"' % jc in xml)
        field = f._element.find(".//" + qn("w:fldSimple"))
        check("%s footer reads — PAGE —" % name,
              re.sub(r"\s", "", f.paragraphs[0].text) == "——" and
              field is not None and
              field.get(qn("w:instr")).strip() == "PAGE")


def check_headings(doc, dump):
    heads = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    check("%d headings (tree has %d)" % (len(heads), len(dump["headings"])),
          len(heads) == len(dump["headings"]))
    for p, h in zip(heads, dump["headings"]):
        check("heading text with its number: %r = %r" % (p.text, h["text"]),
              p.text == h["text"])
        check("heading level %d style %s" % (h["level"], p.style.name),
              p.style.name == "Heading %d" % h["level"])
        check("heading %r has a bookmark" % p.text,
              p._p.find(qn("w:bookmarkStart")) is not None)
    pat = {1: r"^[一二三四五六七八九十]+、", 2: r"^（[一二三四五六七八九十]+）",
           3: r"^\d+\.", 4: r"^（\d+）"}
    for p, h in zip(heads, dump["headings"]):
        check("heading number form %r" % p.text,
              re.match(pat[h["level"]], p.text) is not None)


def check_tables(doc, dump):
    tabs = [t for t in dump["tables"] if t["rows"]]
    check("%d tables (tree has %d with rows)" % (len(doc.tables), len(tabs)),
          len(doc.tables) == len(tabs))
    for t, want in zip(doc.tables, tabs):
        hdr = t.rows[0]
        trpr = hdr._tr.trPr
        check("table %s: header row repeats (tblHeader)" % want["headers"],
              trpr is not None and trpr.find(qn("w:tblHeader")) is not None)
        check("table header cells", [c.text for c in hdr.cells] ==
              want["headers"])
        rows = [[c.text for c in r.cells] for r in t.rows[1:]]
        check("table %s: %d rows equal the tree's (%d)" %
              (want["headers"][:2], len(rows), len(want["rows"])),
              rows == want["rows"])
        for r, bold in zip(t.rows[1:], want["bold"]):
            style = r.cells[0].paragraphs[0].style.name
            if bold:
                check("合计/小计 row in Table Total (%s)" % style,
                      style == "Table Total")
        widths = [int(g.get(qn("w:w"))) for g in
                  t._tbl.tblGrid.findall(qn("w:gridCol"))]
        check("table columns span the block (%s)" % widths,
              abs(sum(widths) - Mm(156).twips) <= 2)
        check("table columns not all equal (auto-fit)",
              len(set(widths)) > 1)
    total = [t for t in tabs if any(t["bold"])]
    check("the sample has a 合计 row", len(total) > 0)


def check_charts(doc, dump, path):
    shapes = [s for s in doc.inline_shapes
              if s._inline.graphic.graphicData.get("uri") == NS_C]
    check("%d charts inline (tree has %d)" % (len(shapes), len(dump["charts"])),
          len(shapes) == len(dump["charts"]))
    z = zipfile.ZipFile(path)
    from lxml import etree
    for i, want in enumerate(dump["charts"]):
        name = "word/charts/chart%d.xml" % (i + 1)
        check("chart part %s" % name, name in z.namelist())
        if name not in z.namelist():
            continue
        root = etree.fromstring(z.read(name))
        ns = {"c": NS_C}
        sers = root.findall(".//c:ser", ns)
        check("chart %d: %d series" % (i + 1, len(want["series"])),
              len(sers) == len(want["series"]))
        for ser, (style, sname, vals) in zip(sers, want["series"]):
            cats = [v.text for v in ser.findall("c:cat//c:pt/c:v", ns)]
            check("chart %d categories" % (i + 1), cats == want["cats"])
            tx = ser.find("c:tx//c:v", ns).text
            check("chart %d series name %s" % (i + 1, sname), tx == sname)
            pts = {int(p.get("idx")): float(p.find("c:v", ns).text)
                   for p in ser.findall("c:val//c:pt", ns)}
            got = [pts.get(k) for k in range(len(want["cats"]))]
            exp = [None if v == "-" else float(v) for v in vals]
            check("chart %d series %s values %s = %s" % (i + 1, sname, got,
                  exp), got == exp)
            # One number of decimals per series, as the PDF's labels: the
            # most any value needs at 2 decimals (no [chart] decimals in
            # the documents checked here).
            fc = ser.find("c:val//c:formatCode", ns).text
            need = max([len(("%.2f" % abs(v)).rstrip("0").split(".")[1])
                        for v in exp if v is not None] or [0])
            check("chart %d series %s format %s has %d decimals" % (
                  i + 1, sname, fc, need),
                  fc == ("0." + "0" * need if need else "0"))
            kind = ser.getparent().tag.split("}")[1]
            check("chart %d series %s is a %s" % (i + 1, sname, style),
                  kind == ("barChart" if style == "bar" else "lineChart"))
        check_workbook(z, i, want)


def check_workbook(z, i, want):
    """The chart's embedded workbook holds the same data at the cells its
    references name: categories in A2.., series k in column k+1 (B, C, …)
    with its name in row 1."""
    import io
    from lxml import etree
    rels = "word/charts/_rels/chart%d.xml.rels" % (i + 1)
    check("chart %d has relationships" % (i + 1), rels in z.namelist())
    if rels not in z.namelist():
        return
    target = etree.fromstring(z.read(rels))[0].get("Target")
    name = "word/" + target.replace("../", "")
    check("chart %d workbook %s in the package" % (i + 1, name),
          name in z.namelist())
    if name not in z.namelist():
        return
    wb = zipfile.ZipFile(io.BytesIO(z.read(name)))
    check("chart %d workbook passes its own zip test" % (i + 1),
          wb.testzip() is None)
    ns = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    sheet = etree.fromstring(wb.read("xl/worksheets/sheet1.xml"))
    cells = {}
    for c in sheet.iterfind(".//s:c", ns):
        t = c.find("s:is/s:t", ns)
        v = c.find("s:v", ns)
        cells[c.get("r")] = t.text if t is not None else float(v.text)
    cats = [cells.get("A%d" % (r + 2)) for r in range(len(want["cats"]))]
    check("chart %d workbook categories" % (i + 1), cats == want["cats"])
    for k, (style, sname, vals) in enumerate(want["series"]):
        col = chr(ord("B") + k)
        check("chart %d workbook series name %s" % (i + 1, sname),
              cells.get(col + "1") == sname)
        got = [cells.get("%s%d" % (col, r + 2)) for r in range(len(vals))]
        exp = [None if v == "-" else float(v) for v in vals]
        check("chart %d workbook values of %s" % (i + 1, sname), got == exp)
    root = etree.fromstring(z.read("word/charts/chart%d.xml" % (i + 1)))
    ext = root.find("{%s}externalData" % NS_C)
    check("chart %d refers to its workbook (externalData)" % (i + 1),
          ext is not None)


def main():
    path, dump_path = sys.argv[1], sys.argv[2]
    dump = parse_dump(dump_path)
    doc = docx.Document(path)
    check_styles(doc)
    check_section(doc)
    check_headings(doc, dump)
    check_tables(doc, dump)
    check_charts(doc, dump, path)
    cp = doc.core_properties
    check("core title %r" % cp.title, cp.title == dump["title"])
    check("core created from the period (%s)" % cp.created,
          cp.created is not None and cp.created.year == 2021)
    if len(sys.argv) > 3:
        org = None
        for line in open(sys.argv[3], encoding="utf-8"):
            m = re.match(r"\s*organization\s*=\s*(.*?)\s*$", line)
            if m:
                org = m.group(1)
        check("core author %r = %r" % (cp.author, org), cp.author == org)
    print("docx_check: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
