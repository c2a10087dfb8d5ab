# zongjie — plain Makefile.  `make` builds ./zongjie; `make run` and
# `make test` first install missing Debian packages (tests/../scripts).

PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man
DATADIR  = $(PREFIX)/share/zongjie
LOCALEDIR = $(PREFIX)/share/locale

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -Wall -Wextra -Wshadow -Wwrite-strings -Wmissing-prototypes \
           -Wno-unused-parameter
# Headers only for the libraries loaded with dlopen when needed: libcurl
# (mail.c, when mail is sent), libzip and libxml2 (docx_zip.c and
# docx_xml.c, when a DOCX is written), HarfBuzz, hb-subset and fontconfig
# (fonts.c, when fonts are opened); libharu is loaded by hpdf_patch.c when
# the first PDF is made (its header is in the default path).  Linking them would map them and
# their dependencies (GLib, FreeType, ICU, libstdc++, libcrypto) at every
# start, --version included.
PKGS     = libunibreak
DLPKGS   = libcurl libzip libxml-2.0 harfbuzz-subset harfbuzz fontconfig
PKG_CFLAGS != pkg-config --cflags $(PKGS) $(DLPKGS) 2>/dev/null || true
PKG_LIBS   != pkg-config --libs $(PKGS) 2>/dev/null || echo -lunibreak
# The unit tests read fonts with HarfBuzz themselves and make libharu
# documents of their own (test_render.c).
TEST_LIBS  != pkg-config --libs harfbuzz 2>/dev/null || echo -lharfbuzz
TEST_LIBS  += -lhpdf
LDFLAGS ?= -Wl,--as-needed
LIBS     = -lcsv -liniparser $(PKG_LIBS) -lz -lm -pthread
ALL_CFLAGS = $(WARN) $(PKG_CFLAGS) -I/usr/include/iniparser -pthread $(CFLAGS)
# Where the installed program finds its message catalogues (diag.c).
LOCALEDEF = -DZJ_LOCALEDIR='"$(LOCALEDIR)"'

# Every src/*.c but main.c is a module linked into the program and the
# unit tests: a new module needs no Makefile change.
MAIN = src/main.c
SRCS = $(sort $(filter-out $(MAIN),$(wildcard src/*.c)))
HDRS = $(wildcard src/*.h)

BUILD     = build
ASANBUILD = build-asan
OBJS      = $(SRCS:src/%.c=$(BUILD)/%.o)
ASANOBJS  = $(SRCS:src/%.c=$(ASANBUILD)/%.o)
ASANFLAGS = -O1 -g -pthread -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# Every tests/test_NAME.c is a cmocka program.
UNIT = $(sort $(patsubst tests/test_%.c,%,$(wildcard tests/test_*.c)))
UNITBINS     = $(UNIT:%=$(BUILD)/test_%)
ASANUNITBINS = $(UNIT:%=$(ASANBUILD)/test_%)

.PHONY: snippets all deps run test unit e2e docx lang spectrum extract golden measure bigtable mail install-test asan clean bench install uninstall check po po-check i18n mo admin figures

# Message catalogues: po/LANG.po compiled into build/locale, where a
# zongjie run from the build tree finds them (diag_init_locale).
LINGUAS = $(patsubst po/%.po,%,$(wildcard po/*.po))
MOS     = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/zongjie.mo)

all: zongjie mo

mo: $(MOS)

$(BUILD)/locale/%/LC_MESSAGES/zongjie.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# Re-extracts the messages, merges them into po/*.po and fails while any
# lacks a translation; po-check does the same without touching po/.
po:
	@BUILD=$(BUILD) sh po/po.sh update

po-check:
	@BUILD=$(BUILD) sh po/po.sh check

# Messages in Chinese under LANG=zh_CN.UTF-8, locations kept in front.
i18n: zongjie mo
	@sh tests/i18n-test.sh ./zongjie

# Every INI and template snippet of README.md and zongjie(1) passes --check.
snippets: zongjie
	@sh tests/snippets-test.sh ./zongjie

# Every figure checkable: figures sheet, review copy, --explain, warnings
# (tests/figures-test.sh; headless chromium for the HTML sheet).
figures: zongjie mo
	@sh tests/figures-test.sh ./zongjie

# First use and administration: --init, paths, hints (tests/admin-test.sh).
admin: zongjie mo
	@sh tests/admin-test.sh ./zongjie

zongjie: $(OBJS) $(BUILD)/main.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(BUILD)/main.o $(LIBS)

$(BUILD)/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) $(LOCALEDEF) -c -o $@ $<

$(BUILD)/test_%: tests/test_%.c $(OBJS) tests/testutil.h
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(OBJS) $(LIBS) $(TEST_LIBS) -lcmocka

# The same program and unit tests under AddressSanitizer and UBSan.
$(ASANBUILD)/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(ASANBUILD)
	$(CC) $(WARN) $(PKG_CFLAGS) -I/usr/include/iniparser $(ASANFLAGS) $(LOCALEDEF) -c -o $@ $<

$(ASANBUILD)/zongjie: $(ASANOBJS) $(ASANBUILD)/main.o
	$(CC) $(ASANFLAGS) -o $@ $(ASANOBJS) $(ASANBUILD)/main.o $(LIBS)

$(ASANBUILD)/test_%: tests/test_%.c $(ASANOBJS) tests/testutil.h
	$(CC) $(WARN) $(PKG_CFLAGS) -I/usr/include/iniparser $(ASANFLAGS) -Isrc -o $@ $< $(ASANOBJS) $(LIBS) $(TEST_LIBS) -lcmocka

deps:
	@sh tests/install-deps.sh

# The sample writes ../out/ relative to config/; zongjie creates missing
# directories only under the configuration's own directory, so make it.
run: deps
	@$(MAKE) -s zongjie
	@mkdir -p out
	@./zongjie -c config/report.ini --print-path

unit: $(UNITBINS)
	@sh tests/run-unit.sh $(UNITBINS)

e2e: zongjie
	@sh tests/e2e.sh ./zongjie

# DOCX output: package, python-docx, LibreOffice's PDF against ours.
docx: zongjie
	@sh tests/docx-test.sh ./zongjie

$(BUILD)/csvdump: tests/csvdump.c $(OBJS)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(OBJS) $(LIBS)

# Mail through a local SMTP server on 127.0.0.1.
mail: zongjie
	@sh tests/mail-test.sh ./zongjie

# make install into a temporary DESTDIR, run the installed binary.
install-test: zongjie
	@sh tests/install-test.sh

# The public csv-spectrum corpus through our CSV loader (fetched with npm).
spectrum: $(BUILD)/csvdump
	@sh tests/csv-spectrum.sh $(BUILD)/csvdump

asan: $(ASANBUILD)/zongjie $(ASANUNITBINS)
	@ASAN_OPTIONS=detect_leaks=1 sh tests/run-unit.sh $(ASANUNITBINS)
	@ASAN_OPTIONS=detect_leaks=1 ZJ_ASAN=1 sh tests/e2e.sh ./$(ASANBUILD)/zongjie
	@ASAN_OPTIONS=detect_leaks=1 ZJ_ASAN=1 sh tests/lang-test.sh ./$(ASANBUILD)/zongjie
	@ASAN_OPTIONS=detect_leaks=1 ZJ_ASAN=1 sh tests/mail-test.sh ./$(ASANBUILD)/zongjie
	@ASAN_OPTIONS=detect_leaks=1 ZJ_ASAN=1 sh tests/hostile.sh ./$(ASANBUILD)/zongjie

check: unit e2e docx lang spectrum extract mail install-test golden measure bigtable i18n admin snippets hostile figures po-check asan

# The template language (issue 13): each construct rendered, each error.
lang: zongjie
	@sh tests/lang-test.sh ./zongjie

# Hostile inputs and conditions (issue 12): broken files, devices, FIFOs,
# outputs that are inputs, signals, a full tmpfs, ulimit -f/-v, concurrency.
hostile: zongjie
	@sh tests/hostile.sh ./zongjie

# Golden layout cases (tests/cases/*), fake metrics.
golden: zongjie
	@sh tests/golden.sh ./zongjie

# GB/T 9704 geometry measured in the rendered sample (pdftotext -bbox-layout).
measure: zongjie
	@python3 tests/measure.py ./zongjie

# Text extraction by poppler, MuPDF, pdf.js (npm) and PDFBox, and qpdf's
# check, on the sample and on the sample set in OpenType/CFF fonts
# (Fandol, Noto CJK: tests/cff-fonts.sh).
extract: zongjie
	@./zongjie -c config/report.ini -o tests/tmp/extract.pdf && \
	    sh tests/extract-test.sh tests/tmp/extract.pdf && \
	    sh tests/cff-fonts.sh config/report.ini >tests/tmp/extract-cff.ini && \
	    ./zongjie -C config -c tests/tmp/extract-cff.ini -o tests/tmp/extract-cff.pdf && \
	    sh tests/extract-test.sh tests/tmp/extract-cff.pdf && \
	    sh tests/glyph-ink.sh tests/tmp/extract-cff.pdf

# A 10,000-row table: page count and 续表 + header on every continued page.
bigtable: zongjie
	@sh tests/bigtable.sh ./zongjie

test: deps
	@$(MAKE) -s check

# zongjie against Typst and XeLaTeX (installed by the bench itself) in the
# same run, and issue 16's targets; not part of test.  A few minutes.
bench: deps
	@$(MAKE) -s zongjie
	@sh tests/bench.sh ./zongjie

# Where the CPU time goes, per phase (perf; tests/bench/profile.sh
# installs Debian's linux-perf when missing): the tables of docs/perf.md.
.PHONY: profile
profile: deps
	@sh tests/bench/profile.sh

# The same with a 1,000,000-row ledger as well (RSS flatness, 1M target):
# a minute or two more.
.PHONY: bench-1m
bench-1m: deps
	@$(MAKE) -s zongjie
	@BENCH_SIZES="50 10000 100000 1000000" sh tests/bench.sh ./zongjie

install: zongjie mo
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DATADIR)/config $(DESTDIR)$(DATADIR)/input/2021-12 \
	    $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(DATADIR)/contrib
	install -m 755 zongjie $(DESTDIR)$(BINDIR)/zongjie
	install -m 644 docs/zongjie.1 $(DESTDIR)$(MANDIR)/man1/zongjie.1
	install -m 644 config/report.ini config/report.md $(DESTDIR)$(DATADIR)/config/
	install -m 644 input/2021-12/*.csv $(DESTDIR)$(DATADIR)/input/2021-12/
	install -m 644 fonts/README.md $(DESTDIR)$(DATADIR)/fonts/
	# The units name the installed program: generated for this PREFIX.
	sed 's|/usr/local/bin/zongjie|$(BINDIR)/zongjie|g' contrib/zongjie.service \
	    >$(DESTDIR)$(DATADIR)/contrib/zongjie.service
	chmod 644 $(DESTDIR)$(DATADIR)/contrib/zongjie.service
	install -m 644 contrib/zongjie.timer $(DESTDIR)$(DATADIR)/contrib/
	for l in $(LINGUAS); do \
	    mkdir -p $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
	    install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/zongjie.mo \
	        $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/zongjie.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/zongjie $(DESTDIR)$(MANDIR)/man1/zongjie.1
	for l in $(LINGUAS); do \
	    rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/zongjie.mo; done
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(BUILD) $(ASANBUILD) build-fuzz zongjie tests/tmp
	rm -f out/*.pdf out/.*.lock

# Fuzzing the input parsers with libFuzzer (clang): CSV, template and INI.
# Not part of test/check.  FUZZ_SECONDS per target; see tests/fuzz/README.md.
FUZZCC       ?= clang
FUZZ_SECONDS ?= 60
# Long enough for the deep-nesting and long-input seeds (tests/fuzz/corpus).
FUZZ_MAX_LEN ?= 131072
FUZZBUILD     = build-fuzz
FUZZFLAGS     = -O1 -g -pthread -fsanitize=address,undefined \
                -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZTARGETS   = csv template ini
FUZZOBJS      = $(SRCS:src/%.c=$(FUZZBUILD)/%.o)
FUZZBINS      = $(FUZZTARGETS:%=$(FUZZBUILD)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-seeds
.SECONDARY: $(FUZZOBJS)

$(FUZZBUILD)/%.o: src/%.c $(HDRS) Makefile
	@mkdir -p $(FUZZBUILD)
	$(FUZZCC) $(WARN) $(PKG_CFLAGS) -I/usr/include/iniparser $(FUZZFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZBUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZOBJS)
	$(FUZZCC) $(WARN) $(PKG_CFLAGS) -I/usr/include/iniparser $(FUZZFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZOBJS) $(LIBS)

fuzz-build: $(FUZZBINS)

# Each harness once over its seeds (the deep and long ones included).
fuzz-seeds:
	@command -v $(FUZZCC) >/dev/null || { echo "make fuzz-seeds: needs $(FUZZCC) with libFuzzer (apt-get install clang)" >&2; exit 2; }
	@$(MAKE) -s fuzz-build
	@for t in $(FUZZTARGETS); do \
	    ASAN_OPTIONS=detect_leaks=1 ./$(FUZZBUILD)/fuzz_$$t -timeout=30 \
	        -rss_limit_mb=2048 tests/fuzz/corpus/$$t/* >$(FUZZBUILD)/seeds-$$t.log 2>&1 || \
	        { tail -40 $(FUZZBUILD)/seeds-$$t.log >&2; echo "fuzz_$$t: a seed fails" >&2; exit 1; }; \
	    echo "fuzz_$$t: $$(ls tests/fuzz/corpus/$$t | wc -l) seeds pass"; \
	done

fuzz:
	@command -v $(FUZZCC) >/dev/null || { echo "make fuzz: needs $(FUZZCC) with libFuzzer (apt-get install clang)" >&2; exit 2; }
	@$(MAKE) -s fuzz-build
	@for t in $(FUZZTARGETS); do \
	    mkdir -p $(FUZZBUILD)/corpus/$$t $(FUZZBUILD)/crashes/$$t; \
	    dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
	    echo "fuzz_$$t: $(FUZZ_SECONDS) s"; \
	    ASAN_OPTIONS=detect_leaks=1 ./$(FUZZBUILD)/fuzz_$$t $$dict \
	        -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) \
	        -timeout=10 -rss_limit_mb=2048 \
	        -print_final_stats=1 -artifact_prefix=$(FUZZBUILD)/crashes/$$t/ \
	        $(FUZZBUILD)/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done
