// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qgroup-config.c - save, load and restore a qgroup configuration (the
 * format is described in qgroup-config.h).
 *
 * The file is the only copy of the configuration once quota is disabled,
 * so saving is durable (temporary file, fsync, rename, fsync of the
 * directory) and loading refuses anything it does not fully understand,
 * including a file that lost its tail.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "live-admin.h"
#include "live-quota.h"
#include "nls.h"
#include "qgroup-config.h"

#define LIMIT_MASK ((uint64_t)(QGROUP_LIMIT_MAX_RFER | QGROUP_LIMIT_MAX_EXCL))

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

		if (!q->has_limit || !(q->limit_flags & LIMIT_MASK))
			continue;
		fprintf(out, "limit %s flags=0x%" PRIx64 " max_rfer=%" PRIu64 " max_excl=%" PRIu64 "\n",
			qgroup_id_format(q->id, id, sizeof(id)), (uint64_t)(q->limit_flags & LIMIT_MASK),
			(q->limit_flags & QGROUP_LIMIT_MAX_RFER) ? q->max_rfer : 0,
			(q->limit_flags & QGROUP_LIMIT_MAX_EXCL) ? q->max_excl : 0);
	}
	fprintf(out, "end\n");
	if (fflush(out) || ferror(out))
		return errno ? -errno : -EIO;
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char *dup = strdup(path);
	int fd, ret = 0;

	if (!dup)
		return -ENOMEM;
	fd = open(dirname(dup), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		ret = -errno;
	else if (fsync(fd) && errno != EINVAL)
		ret = -errno;
	if (fd >= 0)
		close(fd);
	free(dup);
	return ret;
}

int qgroup_config_save_file(const struct qgroup_model *m, const char *path, bool exclusive)
{
	size_t len = strlen(path);
	char *tmp;
	FILE *f;
	int fd, ret;

	tmp = malloc(len + sizeof(".tmpXXXXXX"));
	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		goto out_free;
	}
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		goto out_unlink;
	}
	ret = qgroup_config_write(m, f, (long long)time(NULL));
	if (!ret && fsync(fd))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret)
		goto out_unlink;
	/* mkstemp() made it 0600, which suits a root-only configuration */
	if (exclusive) {
		/* link() fails with EEXIST instead of replacing */
		if (link(tmp, path)) {
			ret = -errno;
			goto out_unlink;
		}
		unlink(tmp);
	} else if (rename(tmp, path)) {
		ret = -errno;
		goto out_unlink;
	}
	ret = fsync_dir_of(path);
	goto out_free;

out_unlink:
	unlink(tmp);
out_free:
	free(tmp);
	return ret;
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

struct cfg_parser {
	struct qgroup_model *m;
	bool have_magic, have_uuid, have_mode, have_end;
	/* ids declared by "qgroup" lines, and relations seen, for strictness */
	uint64_t *rels;
	size_t nr_rels;
};

static bool rel_seen(const struct cfg_parser *p, uint64_t c, uint64_t par)
{
	for (size_t i = 0; i < p->nr_rels; i++)
		if (p->rels[2 * i] == c && p->rels[2 * i + 1] == par)
			return true;
	return false;
}

/* one directive; returns 0, -ENOMEM, or -EINVAL with *why set */
static int parse_line(struct cfg_parser *p, char **tok, int nt, const char **why)
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
		uint64_t *grown;

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
		if (rel_seen(p, a, b)) {
			*why = N_("relation listed twice");
			return -EINVAL;
		}
		grown = realloc(p->rels, (p->nr_rels + 1) * 2 * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		p->rels = grown;
		p->rels[2 * p->nr_rels] = a;
		p->rels[2 * p->nr_rels + 1] = b;
		p->nr_rels++;
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
		if (flags & ~(uint64_t)LIMIT_MASK || !flags) {
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

int qgroup_config_read(FILE *in, struct qgroup_model *m, struct qgroup_config_error *err)
{
	struct cfg_parser p = { .m = m };
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t got;
	int ret = 0;

	err->line = 0;
	err->why = NULL;
	m->mode = QGROUP_MODE_DISABLED;
	while ((got = getline(&line, &cap, in)) >= 0) {
		char *tok[MAX_TOKENS], *s;
		size_t len = (size_t)got;
		int nt = 0;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > QGROUP_CONFIG_MAX_LINE) {
			err->why = N_("line too long");
			ret = -EINVAL;
			goto out_err;
		}
		if (strlen(line) != len) {
			err->why = N_("NUL byte in line");
			ret = -EINVAL;
			goto out_err;
		}
		if (len == 0 || line[0] == '#')
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
		ret = parse_line(&p, tok, nt, &err->why);
		if (ret)
			goto out_err;
	}
	if (ferror(in)) {
		ret = -EIO;
		goto out_free;
	}
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
	ret = qgroup_model_finish(m);
	goto out_free;

out_err:
	if (ret == -EINVAL)
		err->line = lineno;
out_free:
	free(p.rels);
	free(line);
	return ret;
}

int qgroup_config_load_file(const char *path, struct qgroup_model *m,
			    struct qgroup_config_error *err)
{
	FILE *f = fopen(path, "re");
	int ret;

	err->line = 0;
	err->why = NULL;
	if (!f)
		return -errno;
	ret = qgroup_config_read(f, m, err);
	fclose(f);
	return ret;
}

void qgroup_config_report_free(struct qgroup_config_report *rep)
{
	free(rep->skipped);
	memset(rep, 0, sizeof(*rep));
}

static bool has_parent(const struct qgroup *q, uint64_t parent)
{
	for (size_t i = 0; i < q->nr_parents; i++)
		if (q->parents[i] == parent)
			return true;
	return false;
}

/* a saved level-0 qgroup whose subvolume is gone (or not known live) */
static bool gone(const struct qgroup_model *live, uint64_t id)
{
	const struct qgroup *q;

	if (QGROUP_LEVEL(id) != 0)
		return false;
	q = qgroup_model_find(live, id);
	return !q || q->state != QGROUP_STATE_OK;
}

static uint64_t live_limit(const struct qgroup *q, uint64_t flag)
{
	if (!q || !q->has_limit || !(q->limit_flags & flag))
		return UINT64_MAX;
	return flag == QGROUP_LIMIT_MAX_RFER ? q->max_rfer : q->max_excl;
}

static uint64_t cfg_limit(const struct qgroup *q, uint64_t flag)
{
	if (!q->has_limit || !(q->limit_flags & flag))
		return UINT64_MAX;
	return flag == QGROUP_LIMIT_MAX_RFER ? q->max_rfer : q->max_excl;
}

int qgroup_config_restore(struct live_fs *fs, const struct qgroup_model *cfg,
			  unsigned flags, struct qgroup_config_report *rep)
{
	static const uint64_t limit_flags[] = { QGROUP_LIMIT_MAX_RFER, QGROUP_LIMIT_MAX_EXCL };
	struct qgroup_model live;
	unsigned missing = 0;
	bool running;
	size_t i, j, k;
	int ret;

	memset(rep, 0, sizeof(*rep));
	qgroup_model_init(&live);
	ret = live_quota_read(fs, &live, &missing);
	if (ret)
		goto out_free;
	if (live.mode == QGROUP_MODE_DISABLED) {
		ret = -ENOTCONN;
		goto out_free;
	}
	if (missing & (LIVE_QUOTA_NO_TREE | LIVE_QUOTA_NO_PATHS)) {
		ret = -EPERM;
		goto out_free;
	}
	if (fs->read_only) {
		ret = -EROFS;
		goto out_free;
	}
	ret = live_admin_state(fs, &live.mode, &running);
	if (ret)
		goto out_free;
	if (running) {
		ret = -EINPROGRESS;
		goto out_free;
	}
	for (i = 0; i < cfg->nr_qgroups; i++) {
		const struct qgroup *q = &cfg->qgroups[i];
		uint64_t *n;

		if (!gone(&live, q->id))
			continue;
		ret = -ENOMEM;
		n = realloc(rep->skipped, (rep->nr_skipped + 1) * sizeof(*n));
		if (!n)
			goto out_free;
		n[rep->nr_skipped++] = q->id;
		rep->skipped = n;
		rep->skipped_relations += (unsigned)q->nr_parents +
			((q->has_limit && q->limit_flags) ? 1 : 0);
		ret = 0;
	}
	/* qgroups first (parents must exist before the assigns) */
	for (i = 0; i < cfg->nr_qgroups; i++) {
		const struct qgroup *q = &cfg->qgroups[i];

		if (QGROUP_LEVEL(q->id) == 0 || qgroup_model_find(&live, q->id))
			continue;
		ret = live_admin_qgroup_create(fs, q->id);
		if (ret)
			goto out_free;
		rep->created++;
	}
	for (i = 0; i < cfg->nr_qgroups; i++) {
		const struct qgroup *q = &cfg->qgroups[i];
		const struct qgroup *lq;

		if (gone(&live, q->id))
			continue;
		lq = qgroup_model_find(&live, q->id);
		for (j = 0; j < q->nr_parents; j++) {
			bool inc;

			if (lq && has_parent(lq, q->parents[j]))
				continue;
			/* a rescan runs here only if someone started one since */
			ret = live_admin_qgroup_assign(fs, q->id, q->parents[j], true, 0, &inc);
			if (ret)
				goto out_free;
			rep->assigned++;
			rep->inconsistent |= inc;
		}
	}
	for (i = 0; i < cfg->nr_qgroups; i++) {
		const struct qgroup *q = &cfg->qgroups[i];
		const struct qgroup *lq;
		bool changed = false;

		if (gone(&live, q->id))
			continue;
		lq = qgroup_model_find(&live, q->id);
		for (k = 0; k < 2; k++) {
			uint64_t want = cfg_limit(q, limit_flags[k]);

			if (want == live_limit(lq, limit_flags[k]))
				continue;
			ret = live_admin_qgroup_limit(fs, q->id, limit_flags[k], want);
			if (ret)
				goto out_free;
			changed = true;
		}
		rep->limits_set += changed;
	}
	if (rep->inconsistent && !(flags & QGROUP_CONFIG_NO_RESCAN) &&
	    live.mode == QGROUP_MODE_FULL) {
		ret = live_admin_rescan_start(fs);
		if (ret < 0)
			goto out_free;
		rep->rescan_started = true;
		ret = 0;
	}
out_free:
	qgroup_model_free(&live);
	return ret;
}
