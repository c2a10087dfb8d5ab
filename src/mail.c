/* Mail: the finished PDF (and DOCX) over SMTP (see mail.h).
 *
 * The message is built by mime.c; this file is the transfer: libcurl,
 * loaded with dlopen only when a mail is actually sent (a run without
 * --mail never maps libcurl and its two dozen dependencies), through the
 * table of function pointers below.  The library is libcurl.so.4 (Debian
 * libcurl4), or the file named by $ZONGJIE_LIBCURL.
 *
 * Everything that can be checked without the network (addresses, the
 * password file, the files to attach) is checked before connecting.  Server errors
 * are reported with the URL and the server's own reply line, captured
 * through the debug callback; the URL is printed without any user:password
 * part. */
#include "mail.h"
#include "config.h"
#include "diag.h"
#include "mime.h"
#include "util.h"

#define CURL_DISABLE_TYPECHECK  /* calls go through pointers */
#include <curl/curl.h>

#include <dlfcn.h>

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PASSWORD_MAX 4096       /* a password file is one short line */
#define NREPLIES 8              /* error replies remembered per transfer */
#define REPLY_MAX 300           /* characters kept of each */
#define ATTACH_MAX (1L << 30)   /* largest attachment we read */

/* ---- libcurl, loaded at run time ------------------------------------ */

/* The libcurl functions the transfer uses (the 7.x/8.x ABI of
 * libcurl.so.4). */
struct curl_api {
	void *dl;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	const char *(*easy_strerror)(CURLcode);
	void (*easy_cleanup)(CURL *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
};

/* Loads libcurl into api.  Returns 0, or -1 after reporting with
 * EXIT_MAIL (which library, what the loader said). */
static int
curl_load(struct curl_api *api)
{
	static const struct { const char *name; size_t off; } fn[] = {
#define F(m) { "curl_" #m, offsetof(struct curl_api, m) }
		F(global_init), F(global_cleanup), F(easy_init),
		F(easy_setopt), F(easy_perform), F(easy_getinfo),
		F(easy_strerror), F(easy_cleanup), F(slist_append),
		F(slist_free_all),
#undef F
	};
	const char *lib = getenv("ZONGJIE_LIBCURL");
	if (lib == NULL || *lib == '\0')
		lib = "libcurl.so.4";
	memset(api, 0, sizeof *api);
	api->dl = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (api->dl == NULL) {
		const char *e = dlerror();
		diag_error(EXIT_MAIL, NULL, "cannot load %s, which sending "
		    "mail needs (install Debian's libcurl4 package): %s", lib,
		    e != NULL ? e : "unknown error");
		return -1;
	}
	for (size_t i = 0; i < sizeof fn / sizeof fn[0]; i++) {
		void *p = dlsym(api->dl, fn[i].name);
		if (p == NULL) {
			diag_error(EXIT_MAIL, NULL, "%s has no %s: not a "
			    "usable libcurl", lib, fn[i].name);
			dlclose(api->dl);
			api->dl = NULL;
			return -1;
		}
		/* POSIX: a data pointer from dlsym converts to the function
		 * pointer it names */
		memcpy((char *)api + fn[i].off, &p, sizeof p);
	}
	return 0;
}

/* ---- password file ------------------------------------------------- */

/* Reads the password from path: one line, one trailing newline (LF or
 * CRLF) stripped.  Refuses a file that is not regular or whose mode gives
 * group or others any permission.  Returns the password (caller wipes
 * with explicit_bzero and frees), or NULL after reporting with the path. */
static char *
read_password(const char *path)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	struct stat st;
	char *buf;
	ssize_t n;
	size_t len = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC)) < 0) {
		diag_error(EXIT_MAIL, &loc, "cannot open password file: %s",
		    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		diag_error(EXIT_MAIL, &loc, "cannot stat password file: %s",
		    strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(EXIT_MAIL, &loc, "password file is not a regular "
		    "file");
		close(fd);
		return NULL;
	}
	if (st.st_mode & 077) {
		diag_error(EXIT_MAIL, &loc, "password file is accessible by "
		    "group or others (mode %04o); not sending. Fix it with: "
		    "chmod 600 %s", (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	buf = xmalloc(PASSWORD_MAX + 1);
	while (len < PASSWORD_MAX + 1 &&
	    (n = read(fd, buf + len, PASSWORD_MAX + 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_error(EXIT_MAIL, &loc, "cannot read password "
			    "file: %s", strerror(errno));
			goto fail;
		}
		len += (size_t)n;
	}
	close(fd);
	fd = -1;
	if (len > PASSWORD_MAX) {
		diag_error(EXIT_MAIL, &loc, "password file is longer than %d "
		    "bytes; it must hold only the password", PASSWORD_MAX);
		goto fail;
	}
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	buf[len] = '\0';
	if (len == 0) {
		diag_error(EXIT_MAIL, &loc, "password file is empty");
		goto fail;
	}
	if (memchr(buf, '\n', len) || memchr(buf, '\r', len) ||
	    strlen(buf) != len) {
		diag_error(EXIT_MAIL, &loc, "password file must hold one line "
		    "(the password) and nothing else");
		goto fail;
	}
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	explicit_bzero(buf, PASSWORD_MAX + 1);
	free(buf);
	return NULL;
}

/* ---- the transfer -------------------------------------------------- */

/* Server replies of class 4 and 5 seen during the transfer (the debug
 * callback gets every reply line as CURLINFO_HEADER_IN). */
struct replies {
	char line[NREPLIES][REPLY_MAX + 1];
	int code[NREPLIES];
	int n;
	int auth_offered;       /* an EHLO reply line "250-AUTH ..." was seen */
};

/* Is data (one reply line) an EHLO line offering AUTH ("250-AUTH PLAIN",
 * "250 AUTH=LOGIN")? */
static int
offers_auth(const char *data, size_t size)
{
	return size >= 8 && strncmp(data, "250", 3) == 0 &&
	    (data[3] == '-' || data[3] == ' ') &&
	    strncasecmp(data + 4, "AUTH", 4) == 0 &&
	    (size == 8 || data[8] == ' ' || data[8] == '=' ||
	    data[8] == '\r' || data[8] == '\n');
}

static int
on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct replies *r = arg;
	size_t i, k = 0;
	char *out;

	if (type == CURLINFO_HEADER_IN && offers_auth(data, size))
		r->auth_offered = 1;
	if (type != CURLINFO_HEADER_IN || r->n >= NREPLIES || size < 4)
		return 0;
	if ((data[0] != '4' && data[0] != '5') ||
	    data[1] < '0' || data[1] > '9' || data[2] < '0' || data[2] > '9')
		return 0;
	out = r->line[r->n];
	for (i = 0; i < size && k < REPLY_MAX; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == '\r' || c == '\n')
			break;
		out[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[k] = '\0';
	r->code[r->n++] = (data[0] - '0') * 100 + (data[1] - '0') * 10 +
	    (data[2] - '0');
	return 0;
}

/* Returns url without a user[:password]@ part (caller frees). */
static char *
safe_url(const char *url)
{
	const char *s = strstr(url, "://"), *at, *end;

	if (s == NULL)
		return xstrdup(url);
	s += 3;
	end = s + strcspn(s, "/?#");
	at = memchr(s, '@', (size_t)(end - s));
	if (at == NULL)
		return xstrdup(url);
	return xasprintf("%.*s%s", (int)(s - url), url, at + 1);
}

/* Reports a failed transfer: the server and what it answered, or why
 * there was no answer. */
static void
report_failure(const struct curl_api *api, const struct cfg_mail *m,
    CURL *c, CURLcode rc, const char *errbuf, const struct replies *r)
{
	char *url = safe_url(m->url);
	const char *why = *errbuf ? errbuf : api->easy_strerror(rc);
	const char *said = NULL;
	long code = 0;
	int i;

	api->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	/* The reply that ended the transfer: the one with curl's response
	 * code if seen, else the first error reply. */
	for (i = r->n - 1; i >= 0 && said == NULL; i--)
		if (r->code[i] == code)
			said = r->line[i];
	if (said == NULL && r->n > 0) {
		said = r->line[0];
		code = r->code[0];
	}
	if (said != NULL) {
		const char *text = said + 3;
		while (*text == ' ' || *text == '-')
			text++;
		if (rc == CURLE_LOGIN_DENIED)
			diag_error(EXIT_MAIL, NULL, "%s: server answered %ld: "
			    "%s (authentication as \"%s\" failed; check [mail] "
			    "user and %s)", url, code, text,
			    m->user ? m->user : "", m->password_file ?
			    m->password_file : "the password file");
		else
			diag_error(EXIT_MAIL, NULL, "%s: server answered %ld: "
			    "%s (%s)", url, code, text, why);
	} else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
		diag_error(EXIT_MAIL, NULL, "%s: cannot connect to the mail "
		    "server: %s", url, why);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		diag_error(EXIT_MAIL, NULL, "%s: no answer within [mail] "
		    "timeout = %ld s: %s", url, m->timeout, why);
	else if (rc == CURLE_USE_SSL_FAILED)
		diag_error(EXIT_MAIL, NULL, "%s: the server does not offer "
		    "STARTTLS, which starttls = yes requires: %s", url, why);
	else if (code >= 400)
		diag_error(EXIT_MAIL, NULL, "%s: server answered %ld: %s", url,
		    code, why);
	else
		diag_error(EXIT_MAIL, NULL, "%s: sending failed: %s", url, why);
	free(url);
}

/* Reads the file to attach into *data (caller frees), its size in *len.
 * Returns 0, or -1 after reporting at the path. */
static int
read_attachment(const char *path, unsigned char **data, size_t *len)
{
	struct diag_loc loc = { path, 0, 0, NULL, NULL };
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		diag_error(EXIT_MAIL, &loc, "cannot open the file to mail: %s",
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_error(EXIT_MAIL, &loc, "the file to mail is not a regular "
		    "file");
		close(fd);
		return -1;
	}
	if (st.st_size > ATTACH_MAX) {
		diag_error(EXIT_MAIL, &loc, "the file is %lld bytes, more than "
		    "the %ld a mail may carry", (long long)st.st_size,
		    ATTACH_MAX);
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	unsigned char *buf = xmalloc(cap);
	for (;;) {
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			diag_error(EXIT_MAIL, &loc, "cannot read the file to "
			    "mail: %s", strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*data = buf;
	*len = n;
	return 0;
}

/* The message being uploaded (CURLOPT_READFUNCTION).  When a user is
 * set and the server offered no AUTH, libcurl goes on without logging
 * in; the first read (DATA, before any byte of the message) aborts the
 * transfer instead, and no_auth records why. */
struct upload {
	const char *p;
	size_t len, pos;
	int need_auth;                  /* [mail] user is set */
	const struct replies *replies;
	int no_auth;                    /* aborted: the server offered no AUTH */
};

static size_t
on_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems, left = u->len - u->pos;

	if (u->need_auth && !u->replies->auth_offered) {
		u->no_auth = 1;
		return CURL_READFUNC_ABORT;
	}

	if (n > left)
		n = left;
	memcpy(buf, u->p + u->pos, n);
	u->pos += n;
	return n;
}

#define SETOPT(c, opt, val) \
	do { if ((rc = api->easy_setopt(c, opt, val)) != CURLE_OK) goto fail; } while (0)

/* Sets the options of one SMTP transfer of msg.  Returns CURLE_OK or
 * the failing option's code. */
static CURLcode
set_options(const struct curl_api *api, CURL *c, const struct cfg_mail *m,
    const char *password, const char *mail_from, struct curl_slist *rcpt,
    struct upload *msg, char *errbuf, struct replies *replies)
{
	CURLcode rc;

	SETOPT(c, CURLOPT_URL, m->url);
	SETOPT(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SETOPT(c, CURLOPT_ERRORBUFFER, errbuf);
	SETOPT(c, CURLOPT_NOSIGNAL, 1L);
	SETOPT(c, CURLOPT_TIMEOUT, m->timeout);
	SETOPT(c, CURLOPT_VERBOSE, 1L);         /* to the callback only */
	SETOPT(c, CURLOPT_DEBUGFUNCTION, on_debug);
	SETOPT(c, CURLOPT_DEBUGDATA, replies);
	if (m->starttls && strncmp(m->url, "smtp://", 7) == 0)
		SETOPT(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (m->user != NULL) {
		SETOPT(c, CURLOPT_USERNAME, m->user);
		SETOPT(c, CURLOPT_PASSWORD, password);
	}
	SETOPT(c, CURLOPT_MAIL_FROM, mail_from);
	SETOPT(c, CURLOPT_MAIL_RCPT, rcpt);
	SETOPT(c, CURLOPT_UPLOAD, 1L);
	SETOPT(c, CURLOPT_READFUNCTION, on_read);
	SETOPT(c, CURLOPT_READDATA, msg);
	SETOPT(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
fail:
	return rc;
}

/* Sends msg[0..len) to the recipients of to and cc; everything but the
 * transfer has been checked by the caller.  Returns 0 or -1 after
 * reporting. */
static int
transfer(const struct cfg_mail *m, const char *password,
    const struct mime_addr *from, const struct mime_addrlist *to,
    const struct mime_addrlist *cc, const char *msg, size_t len,
    const char *what)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct replies replies;
	struct curl_slist *rcpt = NULL;
	struct upload up = { msg, len, 0, m->user != NULL, &replies, 0 };
	struct curl_api api;
	CURLcode rc;
	CURL *c;
	char *s;
	int ret = -1;

	memset(&replies, 0, sizeof(replies));
	if (curl_load(&api) != 0)
		return -1;
	if ((rc = api.global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		diag_error(EXIT_MAIL, NULL, "cannot initialise libcurl: %s",
		    api.easy_strerror(rc));
		dlclose(api.dl);
		return -1;
	}
	if ((c = api.easy_init()) == NULL) {
		diag_error(EXIT_MAIL, NULL, "cannot initialise libcurl");
		api.global_cleanup();
		return -1;      /* initialised: stays loaded (see below) */
	}
	for (size_t i = 0; i < to->n + cc->n; i++) {
		const struct mime_addr *a = i < to->n ? &to->v[i] :
		    &cc->v[i - to->n];
		rcpt = api.slist_append(rcpt, s = xasprintf("<%s>", a->spec));
		free(s);
	}
	s = xasprintf("<%s>", from->spec);
	rc = set_options(&api, c, m, password, s, rcpt, &up, errbuf,
	    &replies);
	free(s);
	char *url = safe_url(m->url);
	if (rc != CURLE_OK)
		diag_error(EXIT_MAIL, NULL, "%s: cannot prepare the message: %s",
		    url, *errbuf ? errbuf : api.easy_strerror(rc));
	else if ((rc = api.easy_perform(c)) != CURLE_OK && up.no_auth)
		diag_error(EXIT_MAIL, NULL, "%s: the server offers no "
		    "authentication (no AUTH in its EHLO reply), but [mail] "
		    "user = %s is set; not sending without logging in (use "
		    "smtps:// or starttls = yes if the server offers AUTH only "
		    "over TLS, or remove user to send unauthenticated)", url,
		    m->user);
	else if (rc != CURLE_OK)
		report_failure(&api, m, c, rc, errbuf, &replies);
	else {
		diag_info("mailed %s to %zu recipient(s) via %s", what,
		    to->n + cc->n, url);
		ret = 0;
	}
	free(url);
	api.easy_cleanup(c);
	api.slist_free_all(rcpt);
	api.global_cleanup();
	/* libcurl stays loaded: its TLS library keeps thread-local state
	 * and exit handlers that must not outlive their code (unloaded,
	 * LeakSanitizer's exit check crashed reading them). */
	return ret;
}

/* Reads the password file if a user is set (*password NULL otherwise).
 * Returns 0, or -1 after reporting. */
static int
get_password(const struct cfg_mail *m, char **password)
{
	*password = NULL;
	if (m->user == NULL)
		return 0;
	if (m->password_file == NULL) {
		struct diag_loc loc = { NULL, 0, 0, "mail", "password_file" };
		diag_error(EXIT_MAIL, &loc, "a user needs a password file");
		return -1;
	}
	*password = read_password(m->password_file);
	return *password != NULL ? 0 : -1;
}

/* Random bytes for the Message-ID and the boundary (zeros if
 * /dev/urandom cannot be read: uniqueness then rests on time and pid). */
static void
random_bytes(unsigned char rnd[8])
{
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	memset(rnd, 0, 8);
	if (fd >= 0) {
		if (read(fd, rnd, 8) != 8)
			memset(rnd, 0, 8);
		close(fd);
	}
}

/* Parses and checks the addresses of m.  Returns the number of errors
 * reported. */
static int
parse_addresses(const struct cfg_mail *m, struct mime_addrlist *from,
    struct mime_addrlist *to, struct mime_addrlist *cc)
{
	int bad = mime_parse_addrlist(m->from, "from", from);

	if (!bad && from->n != 1) {
		struct diag_loc loc = { NULL, 0, 0, "mail", "from" };
		diag_error(EXIT_MAIL, &loc, "needs exactly one address");
		bad++;
	}
	bad += mime_parse_addrlist(m->to, "to", to);
	bad += mime_parse_addrlist(m->cc, "cc", cc);
	if (!bad && to->n == 0) {
		struct diag_loc loc = { NULL, 0, 0, "mail", "to" };
		diag_error(EXIT_MAIL, &loc, "no recipient address");
		bad++;
	}
	return bad;
}

int
mail_send(const struct cfg_mail *m, const char *subject, const char *body,
    const struct mail_file *files, size_t nfiles)
{
	struct mime_addrlist from = { NULL, 0 }, to = { NULL, 0 },
	    cc = { NULL, 0 };
	struct mime_part *parts = xcalloc(nfiles + 1, sizeof(*parts));
	unsigned char **data = xcalloc(nfiles + 1, sizeof(*data));
	char *password = NULL, *msg = NULL, *what = NULL;
	size_t len = 0, i;
	int ret = -1;

	if (m == NULL || !m->present || m->url == NULL) {
		struct diag_loc loc = { NULL, 0, 0, "mail", NULL };
		diag_error(EXIT_MAIL, &loc, "no [mail] section with a url: "
		    "nothing to send with");
		goto out;
	}
	if (parse_addresses(m, &from, &to, &cc) != 0 ||
	    get_password(m, &password) != 0)
		goto out;
	for (i = 0; i < nfiles; i++) {
		const char *base = strrchr(files[i].path, '/');

		if (read_attachment(files[i].path, &data[i], &parts[i].len) != 0)
			goto out;
		parts[i].data = data[i];
		parts[i].filename = base != NULL ? base + 1 : files[i].path;
		parts[i].type = files[i].docx ? MIME_DOCX : MIME_PDF;
	}
	struct mime_message mm = {
		.from = &from.v[0], .to = &to, .cc = &cc,
		.subject = subject != NULL ? subject : "", .body = body,
		.parts = parts, .nparts = nfiles, .date = time(NULL),
		.pid = (long)getpid(),
	};
	random_bytes(mm.rnd);
	msg = mime_build(&mm, &len);
	for (i = 0; i < nfiles; i++) {
		free(data[i]);
		data[i] = NULL;
	}
	what = xstrdup(nfiles > 0 ? files[0].path : "a message");
	for (i = 1; i < nfiles; i++) {
		char *w = xasprintf("%s, %s", what, files[i].path);
		free(what);
		what = w;
	}
	ret = transfer(m, password, &from.v[0], &to, &cc, msg, len, what);
out:
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	free(msg);
	free(what);
	for (i = 0; i < nfiles; i++)
		free(data[i]);
	free(data);
	free(parts);
	mime_addrlist_free(&from);
	mime_addrlist_free(&to);
	mime_addrlist_free(&cc);
	return ret;
}

int
mail_check(const struct cfg_mail *m)
{
	struct mime_addrlist from = { NULL, 0 }, to = { NULL, 0 },
	    cc = { NULL, 0 }, err = { NULL, 0 };
	char *password = NULL;
	int bad;

	if (m == NULL || !m->present)
		return 0;
	bad = parse_addresses(m, &from, &to, &cc);
	bad += mime_parse_addrlist(m->errors_to, "errors_to", &err);
	if (get_password(m, &password) != 0)
		bad++;
	if (password != NULL) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	mime_addrlist_free(&from);
	mime_addrlist_free(&to);
	mime_addrlist_free(&cc);
	mime_addrlist_free(&err);
	return bad ? -1 : 0;
}
