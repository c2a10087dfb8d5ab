/* The skeleton written by zongjie --init (see scaffold.h).  The texts are
 * for the clerk, so they are in Chinese; docs/快速上手.md walks through
 * them. */
#include "scaffold.h"
#include "diag.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char ini_text[] =
"; zongjie 配置（由 zongjie --init 生成）。\n"
"; 路径都相对于本文件所在的目录。注释只能单独成行（以分号开头），\n"
"; 值里不要出现分号或井号。详见 docs/快速上手.md 和 man zongjie。\n"
"\n"
"[report]\n"
"title = {year}年{months}工作总结\n"
"subtitle = 某某工业园区管理委员会\n"
"organization = 某某工业园区管理委员会\n"
"signature = 某某工业园区管理委员会\n"
"template = report.md\n"
"output = out/zongjie-{period}.pdf\n"
"period = %s\n"
"missing = —\n"
"\n"
"[fonts]\n"
"; 每个角色按顺序试：先在 fonts/ 里找文件，再按族名找系统字体。\n"
"dir = fonts\n"
"title = 方正小标宋简体.ttf, FandolSong:style=Bold, Noto Serif CJK SC:style=Bold, AR PL SungtiL GB\n"
"body = simfang.ttf, 仿宋_GB2312.ttf, FandolFang:style=Regular, AR PL UMing CN\n"
"heading = simhei.ttf, FandolHei:style=Regular, WenQuanYi Zen Hei\n"
"subheading = simkai.ttf, 楷体_GB2312.ttf, FandolKai:style=Regular, AR PL UKai CN\n"
"latin = times.ttf, Liberation Serif\n"
"pagenum = simsun.ttc:0, FandolSong:style=Regular, AR PL UMing CN\n"
"\n"
"; 每个导出表一节：file 里的 {period} 换成 2026-11 这样的月份。\n"
"[data.kpi]\n"
"file = input/{period}/kpi.csv\n"
"key = 指标\n"
"encoding = auto\n"
"; 导出表里的合计行不参与取数和求和。\n"
"exclude = 指标 in (合计, 小计)\n"
"\n"
"; 模板里的 @table kpi 放这张表：colN = 表头 | 取值 | 格式 | 对齐 | 宽度mm\n"
"[table.kpi]\n"
"source = kpi\n"
"title = {year}年{months}主要经济指标完成情况表\n"
"number = yes\n"
"col1 = 指标\n"
"col2 = 单位 | 单位 | | center\n"
"col3 = 本期\n"
"col4 = 上年同期\n"
"col5 = 年度目标 | 目标\n"
"col6 = 同比 | {growth(本期, 上年同期)}\n"
"\n"
"; 模板里的 @chart kpi 放这张图：bars 画成柱，lines 画成折线。\n"
"[chart.kpi]\n"
"source = kpi\n"
"title = {year}年{months}主要指标与上年同期对比\n"
"unit = 单位：亿元\n"
"category = 指标\n"
"bars = 本期, 上年同期\n"
"filter = 单位 = 亿元\n"
"labels = yes\n";

static const char tpl_text[] =
"%% zongjie 模板（由 zongjie --init 生成）。以 %% 开头的行是注释。\n"
"%% 每段写成一行，段与段之间空一行；标题编号（一、（一）1.）由程序生成。\n"
"%% {…} 是占位符：kpi[园区产值].本期 取 kpi.csv 中“指标”为园区产值那一行的“本期”列。\n"
"\n"
"{year}年{months}，园区实现产值{kpi[园区产值].本期 | .1}亿元，同比{growth(kpi[园区产值].本期, kpi[园区产值].上年同期) | 增长}，完成年度目标的{share(kpi[园区产值].本期, kpi[园区产值].目标)}；入库税金{kpi[入库税金].本期}亿元，同比{growth(kpi[入库税金].本期, kpi[入库税金].上年同期) | 增长}；新增规模以上工业企业{kpi[新增规上企业].本期}户。\n"
"\n"
"# {year}年主要工作完成情况\n"
"\n"
"## 主要经济指标\n"
"\n"
"主要经济指标完成情况见下表。\n"
"\n"
"@table kpi\n"
"\n"
"以亿元计的指标与上年同期对比见下图。\n"
"\n"
"@chart kpi\n"
"\n"
"# {next_year}年工作思路\n"
"\n"
"（在这里写下一年的工作思路。）\n";

static const char csv_text[] =
"指标,单位,本期,上年同期,目标\n"
"园区产值,亿元,286.4,231.7,270\n"
"入库税金,亿元,9.86,8.12,9.5\n"
"工业投资,亿元,45.2,36.8,42\n"
"新增规上企业,户,14,11,12\n"
"合计,,355.46,276.62,321.5\n";

static const char fonts_text[] =
"# fonts/ — 放办公字体的地方\n"
"\n"
"report.ini 的 [fonts] 节为每个角色（标题、正文、黑体标题、楷体标题、数字、页码）\n"
"按顺序列出候选字体：写成文件名的（如 simfang.ttf）在本目录里找，写成字体族名的\n"
"（如 FandolFang:style=Regular）交给系统查找。不放任何字体也能出 PDF（用系统自带的免费字体）。\n"
"\n"
"要用正式的公文字体，把有授权的 方正小标宋简体.ttf、simfang.ttf（仿宋）、simhei.ttf（黑体）、\n"
"simkai.ttf（楷体）、times.ttf、simsun.ttc 复制到本目录，重新运行即可，无需改配置。\n"
"\n"
"支持 .ttf、.otf 以及 .ttc 字体集合；可变字体（CFF2）会被跳过并提示。\n"
"字体受版权保护，不要随报告一起外发。\n";

/* mkdir -p; returns 0 or -1 with errno set. */
static int
make_dirs(const char *path)
{
	char *d = xstrdup(path), *p, c;
	int rc = 0;

	for (p = d + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(d, 0777) != 0 && errno != EEXIST) {
			rc = -1;
			break;
		}
		if ((*p = c) == '\0')
			break;
	}
	free(d);
	return rc;
}

/* Writes text to path, creating its directory; never replaces a file.
 * Returns 0 or -1 after reporting. */
static int
write_new(const char *path, const char *text)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	size_t len = strlen(text);
	int fd, err;
	ssize_t n = -1;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (make_dirs(dir) != 0) {
			diag_error(EXIT_OUTPUT, &loc, "cannot create directory "
			    "%s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd >= 0) {
		n = write(fd, text, len);
		err = errno;
		if (close(fd) != 0 && n == (ssize_t)len) {
			err = errno;
			n = -1;
		}
		errno = err;
	}
	if (n != (ssize_t)len) {
		diag_error(EXIT_OUTPUT, &loc, "cannot write: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
scaffold_write(const char *dir, const struct tm *today)
{
	char period[16];
	char *paths[4], *ini;
	const char *texts[4];
	int y = today->tm_year + 1900, m = today->tm_mon;   /* last month */
	size_t i, n = sizeof(paths) / sizeof(paths[0]);
	int rc = 0;

	if (m == 0) {
		y--;
		m = 12;
	}
	snprintf(period, sizeof(period), "%04d-%02d", y, m);
	ini = xasprintf(ini_text, period);
	paths[0] = xasprintf("%s/report.ini", dir);
	paths[1] = xasprintf("%s/report.md", dir);
	paths[2] = xasprintf("%s/input/%s/kpi.csv", dir, period);
	paths[3] = xasprintf("%s/fonts/README.md", dir);
	texts[0] = ini;
	texts[1] = tpl_text;
	texts[2] = csv_text;
	texts[3] = fonts_text;
	/* Nothing is written over an earlier skeleton or a real report. */
	for (i = 0; i < n; i++) {
		struct stat st;
		struct diag_loc loc = { paths[i], 0, 0, NULL, NULL };

		if (lstat(paths[i], &st) == 0) {
			diag_error(EXIT_OUTPUT, &loc, "already exists; --init "
			    "writes only into a new or empty directory");
			rc = -1;
		}
	}
	for (i = 0; rc == 0 && i < n; i++) {
		if (write_new(paths[i], texts[i]) != 0)
			rc = -1;
		else
			printf(_("wrote %s\n"), paths[i]);
	}
	if (rc == 0)
		printf(_("render it with: zongjie -c %s\n"), paths[0]);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(ini);
	return rc;
}
