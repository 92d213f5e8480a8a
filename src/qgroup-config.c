// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qgroup-config.c - save and load a qgroup configuration (the format is
 * described in qgroup-config.h); restoring one onto a filesystem is
 * qgroup-restore.c.
 *
 * The file is the only copy of the configuration once quota is disabled,
 * so saving is durable (safe-file.c: temporary file, fsync, rename, fsync
 * of the directory) and loading refuses anything it does not fully
 * understand, including a file that lost its tail, reading through a
 * fixed-size line buffer.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "nls.h"
#include "qgroup-config.h"
#include "safe-file.h"

int qgroup_config_write(const struct qgroup_model *m, FILE *out, long long when)
{
	char id[32], pid[32], date[32];
	time_t t = (time_t)when;
	struct tm tm;
	size_t i, j;

	if (!gmtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(date, "unknown");
	fprintf(out, "# qgtop qgroup configuration (qgroups, relations, limits)\n");
	fprintf(out, "# filesystem %s, saved %s by qgtop %s\n",
		m->fs.uuid[0] ? m->fs.uuid : "unknown", date, PACKAGE_VERSION);
	fprintf(out, "# re-create with: qgtop quota enable PATH && qgtop restore FILE PATH\n");
	fprintf(out, "%s %d\n", QGROUP_CONFIG_MAGIC, QGROUP_CONFIG_VERSION);
	if (m->fs.uuid[0])
		fprintf(out, "uuid %s\n", m->fs.uuid);
	if (m->mode != QGROUP_MODE_DISABLED)
		fprintf(out, "mode %s\n", qgroup_mode_name(m->mode));
	for (i = 0; i < m->nr_qgroups; i++) {
		const struct qgroup *q = &m->qgroups[i];

		qgroup_id_format(q->id, id, sizeof(id));
		/* paths are informative only: a comment, never parsed */
		if (q->path && !strpbrk(q->path, "\n\r"))
			fprintf(out, "# %s path %s\n", id, q->path);
		else if (q->state != QGROUP_STATE_OK)
			fprintf(out, "# %s %s\n", id, qgroup_state_name(q->state));
		fprintf(out, "qgroup %s\n", id);
	}
	for (i = 0; i < m->nr_qgroups; i++) {
		const struct qgroup *q = &m->qgroups[i];

		qgroup_id_format(q->id, id, sizeof(id));
		for (j = 0; j < q->nr_parents; j++)
			fprintf(out, "relation %s %s\n", id,
				qgroup_id_format(q->parents[j], pid, sizeof(pid)));
	}
	for (i = 0; i < m->nr_qgroups; i++) {
		const struct qgroup *q = &m->qgroups[i];

		if (!q->has_limit || !(q->limit_flags & QGROUP_LIMIT_MASK))
			continue;
		fprintf(out, "limit %s flags=0x%" PRIx64 " max_rfer=%" PRIu64 " max_excl=%" PRIu64 "\n",
			qgroup_id_format(q->id, id, sizeof(id)), (uint64_t)(q->limit_flags & QGROUP_LIMIT_MASK),
			(q->limit_flags & QGROUP_LIMIT_MAX_RFER) ? q->max_rfer : 0,
			(q->limit_flags & QGROUP_LIMIT_MAX_EXCL) ? q->max_excl : 0);
	}
	fprintf(out, "end\n");
	if (fflush(out) || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}

struct write_ctx {
	const struct qgroup_model *m;
	long long when;
};

static int fill_config(FILE *f, void *ctx)
{
	const struct write_ctx *w = ctx;

	return qgroup_config_write(w->m, f, w->when);
}

int qgroup_config_save_in(const struct qgroup_model *m, struct safe_file_dir *d,
			  const char *name, unsigned flags, char *why, size_t len)
{
	struct write_ctx w = { m, (long long)time(NULL) };

	return safe_file_write(d, name, flags, fill_config, &w, why, len);
}

int qgroup_config_save_file(const struct qgroup_model *m, const char *path, unsigned flags,
			    char *why, size_t len)
{
	struct write_ctx w = { m, (long long)time(NULL) };

	return safe_file_write_path(path, flags, fill_config, &w, why, len);
}

/* strict decimal (or, with @hex, 0x-prefixed hexadecimal) u64 */
static int parse_num(const char *s, bool hex, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10, d;

	if (hex) {
		if (strncmp(s, "0x", 2))
			return -EINVAL;
		s += 2;
		base = 16;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (hex && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* "key=value" with the given key */
static int parse_kv(const char *tok, const char *key, bool hex, uint64_t *out)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) || tok[n] != '=')
		return -EINVAL;
	return parse_num(tok + n + 1, hex, out);
}

static bool valid_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
			return false;
		}
	}
	return true;
}

#define MAX_TOKENS 6

struct cfg_relation {
	uint64_t child, parent;
	unsigned line;
};

struct cfg_parser {
	struct qgroup_model *m;
	bool have_magic, have_uuid, have_mode, have_end;
	/* relations seen, checked for repeats once at the end (sorted) */
	struct cfg_relation *rels;
	size_t nr_rels, cap_rels;
};

static int cmp_relation(const void *a, const void *b)
{
	const struct cfg_relation *x = a, *y = b;

	if (x->child != y->child)
		return x->child < y->child ? -1 : 1;
	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * A relation listed twice: sorting makes repeats neighbours, O(R log R)
 * for R relations. Returns the later line of the first repeat in the
 * file, or 0.
 */
static unsigned repeated_relation(struct cfg_parser *p)
{
	unsigned first = 0;

	if (p->nr_rels > 1)
		qsort(p->rels, p->nr_rels, sizeof(*p->rels), cmp_relation);
	for (size_t i = 1; i < p->nr_rels; i++) {
		const struct cfg_relation *x = &p->rels[i - 1], *y = &p->rels[i];

		if (x->child == y->child && x->parent == y->parent && (!first || y->line < first))
			first = y->line;
	}
	return first;
}

/* one directive; returns 0, -ENOMEM, or -EINVAL with *why set */
static int parse_line(struct cfg_parser *p, unsigned lineno, char **tok, int nt,
		      const char **why)
{
	struct qgroup_model *m = p->m;
	struct qgroup *q;
	uint64_t a, b, v;

	if (p->have_end) {
		*why = N_("directive after 'end'");
		return -EINVAL;
	}
	if (!p->have_magic) {
		if (strcmp(tok[0], QGROUP_CONFIG_MAGIC)) {
			*why = N_("not a qgtop qgroup configuration (first directive is not 'qgtop-qgroups')");
			return -EINVAL;
		}
		if (nt != 2 || parse_num(tok[1], false, &v)) {
			*why = N_("malformed version line");
			return -EINVAL;
		}
		if (v != QGROUP_CONFIG_VERSION) {
			*why = N_("unsupported format version");
			return -EINVAL;
		}
		p->have_magic = true;
		return 0;
	}
	if (!strcmp(tok[0], "uuid")) {
		if (nt != 2 || !valid_uuid(tok[1])) {
			*why = N_("malformed uuid line");
			return -EINVAL;
		}
		if (p->have_uuid) {
			*why = N_("second uuid line");
			return -EINVAL;
		}
		p->have_uuid = true;
		memcpy(m->fs.uuid, tok[1], 37);
		return 0;
	}
	if (!strcmp(tok[0], "mode")) {
		if (nt != 2 || (strcmp(tok[1], "full") && strcmp(tok[1], "simple"))) {
			*why = N_("malformed mode line (full or simple)");
			return -EINVAL;
		}
		if (p->have_mode) {
			*why = N_("second mode line");
			return -EINVAL;
		}
		p->have_mode = true;
		m->mode = strcmp(tok[1], "full") ? QGROUP_MODE_SIMPLE : QGROUP_MODE_FULL;
		return 0;
	}
	if (!strcmp(tok[0], "qgroup")) {
		if (nt != 2 || qgroup_id_parse(tok[1], &a) || !strchr(tok[1], '/')) {
			*why = N_("malformed qgroup line (qgroup LEVEL/ID)");
			return -EINVAL;
		}
		if (qgroup_model_find(m, a)) {
			*why = N_("qgroup declared twice");
			return -EINVAL;
		}
		return qgroup_model_get(m, a, &q);
	}
	if (!strcmp(tok[0], "relation")) {
		struct cfg_relation *grown;

		if (nt != 3 || qgroup_id_parse(tok[1], &a) || qgroup_id_parse(tok[2], &b) ||
		    !strchr(tok[1], '/') || !strchr(tok[2], '/')) {
			*why = N_("malformed relation line (relation CHILD PARENT)");
			return -EINVAL;
		}
		if (!qgroup_model_find(m, a) || !qgroup_model_find(m, b)) {
			*why = N_("relation names a qgroup not declared before");
			return -EINVAL;
		}
		if (QGROUP_LEVEL(a) >= QGROUP_LEVEL(b)) {
			*why = N_("relation child level is not below parent level");
			return -EINVAL;
		}
		if (p->nr_rels == p->cap_rels) {
			size_t cap = p->cap_rels ? 2 * p->cap_rels : 64;

			grown = realloc(p->rels, cap * sizeof(*grown));
			if (!grown)
				return -ENOMEM;
			p->rels = grown;
			p->cap_rels = cap;
		}
		p->rels[p->nr_rels++] = (struct cfg_relation){ a, b, lineno };
		return qgroup_model_add_relation(m, a, b);
	}
	if (!strcmp(tok[0], "limit")) {
		uint64_t flags, rfer, excl;

		if (nt != 5 || qgroup_id_parse(tok[1], &a) || !strchr(tok[1], '/') ||
		    parse_kv(tok[2], "flags", true, &flags) ||
		    parse_kv(tok[3], "max_rfer", false, &rfer) ||
		    parse_kv(tok[4], "max_excl", false, &excl)) {
			*why = N_("malformed limit line "
				  "(limit ID flags=0xN max_rfer=BYTES max_excl=BYTES)");
			return -EINVAL;
		}
		if (flags & ~(uint64_t)QGROUP_LIMIT_MASK || !flags) {
			*why = N_("limit flags must be 0x1, 0x2 or 0x3");
			return -EINVAL;
		}
		q = qgroup_model_find(m, a);
		if (!q) {
			*why = N_("limit names a qgroup not declared before");
			return -EINVAL;
		}
		if (q->has_limit) {
			*why = N_("second limit line for a qgroup");
			return -EINVAL;
		}
		q->has_limit = true;
		q->limit_flags = flags;
		q->max_rfer = rfer;
		q->max_excl = excl;
		return 0;
	}
	if (!strcmp(tok[0], "end")) {
		if (nt != 1) {
			*why = N_("malformed end line");
			return -EINVAL;
		}
		p->have_end = true;
		return 0;
	}
	*why = N_("unknown directive");
	return -EINVAL;
}

/*
 * Read one line into @buf (QGROUP_CONFIG_MAX_LINE + 2 bytes) without the
 * newline. Nothing grows with the input: a longer line or a NUL byte is
 * refused as soon as it is seen, so /dev/zero or a file of one endless
 * line fails at once. Returns the length, -1 at the end of the input,
 * -EINVAL with *why set, or -EIO.
 */
static long read_line(FILE *in, char *buf, const char **why)
{
	size_t n = 0;
	int c;

	while ((c = getc(in)) != EOF) {
		if (c == '\n')
			break;
		if (c == '\0') {
			*why = N_("NUL byte in line");
			return -EINVAL;
		}
		if (n == QGROUP_CONFIG_MAX_LINE) {
			*why = N_("line too long");
			return -EINVAL;
		}
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	if (ferror(in))
		return -EIO;
	if (c == EOF && n == 0)
		return -1;
	return (long)n;
}

int qgroup_config_read(FILE *in, struct qgroup_model *m, struct qgroup_config_error *err)
{
	struct cfg_parser p = { .m = m };
	char line[QGROUP_CONFIG_MAX_LINE + 2];
	unsigned lineno = 0;
	long got;
	int ret = 0;

	err->line = 0;
	err->why = NULL;
	m->mode = QGROUP_MODE_DISABLED;
	for (;;) {
		char *tok[MAX_TOKENS], *s;
		int nt = 0;

		lineno++;
		got = read_line(in, line, &err->why);
		if (got == -1)
			break;
		if (got < 0) {
			ret = (int)got;
			if (ret == -EINVAL)
				goto out_err;
			goto out_free;
		}
		if (got == 0 || line[0] == '#')
			continue;
		for (s = line; *s; s++) {
			if ((unsigned char)*s < 0x20 || *s == 0x7f) {
				err->why = N_("control character in line");
				ret = -EINVAL;
				goto out_err;
			}
		}
		/* exactly one space between tokens, none around them */
		s = line;
		for (;;) {
			char *sp = strchr(s, ' ');

			if (nt == MAX_TOKENS || *s == '\0' || *s == ' ') {
				err->why = N_("bad spacing or too many fields");
				ret = -EINVAL;
				goto out_err;
			}
			tok[nt++] = s;
			if (!sp)
				break;
			*sp = '\0';
			s = sp + 1;
		}
		ret = parse_line(&p, lineno, tok, nt, &err->why);
		if (ret)
			goto out_err;
	}
	lineno--;
	if (!p.have_magic) {
		lineno++;
		err->why = N_("empty file: no 'qgtop-qgroups' line");
		ret = -EINVAL;
		goto out_err;
	}
	if (!p.have_end) {
		lineno++;
		err->why = N_("missing 'end' line (file truncated?)");
		ret = -EINVAL;
		goto out_err;
	}
	lineno = repeated_relation(&p);
	if (lineno) {
		err->why = N_("relation listed twice");
		ret = -EINVAL;
		goto out_err;
	}
	ret = qgroup_model_finish(m);
	goto out_free;

out_err:
	if (ret == -EINVAL)
		err->line = lineno;
out_free:
	free(p.rels);
	return ret;
}

int qgroup_config_load_file(const char *path, struct qgroup_model *m,
			    struct qgroup_config_error *err)
{
	struct stat st;
	FILE *f;
	int ret;

	err->line = 0;
	err->why = NULL;
	/* a device would be read forever or block (a tty): only regular
	 * files and pipes (a shell's <(...)) are configurations */
	if (stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		err->why = S_ISDIR(st.st_mode) ? N_("is a directory")
					       : N_("not a regular file or a pipe");
		return -EINVAL;
	}
	f = fopen(path, "re");
	if (!f)
		return -errno;
	if (fstat(fileno(f), &st)) {
		ret = -errno;
	} else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		err->why = N_("not a regular file or a pipe");
		ret = -EINVAL;
	} else {
		ret = qgroup_config_read(f, m, err);
	}
	fclose(f);
	return ret;
}
