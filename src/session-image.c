// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * session-image.c - the offline side of the frontend's source: unmounted
 * images read by the offline engine. A refresh is one full scan (slow,
 * cancellable, with progress); the frontend asks for one when it opens the
 * image and again only when the user does (F, e.g. after stopping a scan),
 * since an unmounted image does not change under us. The same source reads
 * a mounted filesystem exactly (--exact): then each refresh opens the
 * engine again, on the latest commit.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nls.h"
#include "offline/offline-engine.h"
#include "session.h"

static void scan_progress(const struct offline_progress *p, void *ctx)
{
	struct session *s = ctx;

	if (p->total)
		s->scan_fraction = (double)p->done / (double)p->total;
}

static int image_refresh(struct session *s, struct qgroup_model *m)
{
	int ret;

	/* s->cancel is cleared by whoever asks for the refresh, not here: a
	 * cancel pressed before this scan got going must still stop it */
	s->scan_fraction = 0;
	ret = offline_engine_scan(s->engine, m, scan_progress, s, &s->cancel, NULL);
	if (ret) {
		snprintf(s->error, sizeof(s->error), "%s",
			 ret == -ECANCELED ? _("scan stopped") : offline_engine_error(s->engine));
		if (!s->error[0])
			snprintf(s->error, sizeof(s->error), _("cannot scan the image: %s"),
				 strerror(-ret));
		return ret;
	}
	s->scan_fraction = 1;
	s->scanned = true;
	return 0;
}

/* open the engine on the mounted filesystem, again while it commits under
 * the open */
static int exact_open(struct session *s)
{
	int ret, tries = 0;

	do
		ret = offline_engine_open_live(s->path, false, &s->cancel, &s->engine, s->error,
					       sizeof(s->error));
	while (ret == -EAGAIN && ++tries <= OFFLINE_LIVE_RESTARTS);
	return ret;
}

static int exact_refresh(struct session *s, struct qgroup_model *m)
{
	int ret, tries = 0;

	for (;;) {
		if (!s->engine_fresh) {
			if (s->engine)
				offline_engine_close(s->engine);
			s->engine = NULL;
			s->scanned = false;
			s->scan_fraction = -1;
			ret = exact_open(s);
			if (ret)
				return ret;
		}
		s->engine_fresh = false;
		ret = image_refresh(s, m);
		if (ret != -EAGAIN)
			return ret;
		if (++tries > OFFLINE_LIVE_RESTARTS) {
			snprintf(s->error, sizeof(s->error),
				 _("the filesystem changed too often during the scan (%d restarts); "
				   "try again when it is quieter"), OFFLINE_LIVE_RESTARTS);
			return ret;
		}
		qgroup_model_free(m);
		qgroup_model_init(m);
	}
}

static int image_freed(struct session *s, const uint64_t *ids, size_t nr, uint64_t *bytes)
{
	uint64_t *sub;
	size_t i;
	int ret;

	if (!s->scanned)
		return -EINVAL;
	/* the engine takes subvolume ids; the view marks qgroup ids 0/ID */
	sub = malloc((nr ? nr : 1) * sizeof(*sub));
	if (!sub)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		sub[i] = QGROUP_SUBID(ids[i]);
	ret = offline_engine_freed(s->engine, sub, nr, bytes);
	free(sub);
	return ret;
}

static void image_close(struct session *s)
{
	if (s->engine)
		offline_engine_close(s->engine);
	s->engine = NULL;
}

static const struct session_source image_source = {
	.refresh = image_refresh,
	.freed = image_freed,
	.close = image_close,
};

static const struct session_source exact_source = {
	.refresh = exact_refresh,
	.freed = image_freed,
	.close = image_close,
};

/* @s as an --exact session on @path whose engine the first refresh opens */
static int exact_init(struct session *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	s->kind = SESSION_IMAGE;
	s->exact_live = true;
	s->src = &exact_source;
	s->scan_fraction = -1;
	s->is_root = geteuid() == 0;
	s->path = strdup(path);
	return s->path ? 0 : -ENOMEM;
}

int session_open_exact(struct session *s, const char *path)
{
	int ret;

	ret = exact_init(s, path);
	if (ret)
		return ret;
	/* the first open reports a bad path or a missing root at once */
	ret = exact_open(s);
	if (ret) {
		free(s->path);
		s->path = NULL;
		s->src = NULL;
		return ret;
	}
	s->engine_fresh = true;
	return 0;
}

int session_switch_exact(struct session *s)
{
	struct session next;
	int ret;

	if (s->kind == SESSION_LIVE)
		/* opening the engine reads the trees: the worker's refresh does it */
		ret = exact_init(&next, s->path);
	else if (s->exact_live)
		ret = session_open_live(&next, s->path);
	else
		return -EINVAL;
	if (ret) {
		free(next.path);
		return ret;
	}
	session_close(s);
	memcpy(s, &next, sizeof(*s));
	return 0;
}

int session_open_image(struct session *s, char *const *paths, size_t nr)
{
	size_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->kind = SESSION_IMAGE;
	s->src = &image_source;
	s->scan_fraction = -1;
	s->images = calloc(nr, sizeof(*s->images));
	if (!s->images)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		s->images[i] = strdup(paths[i]);
		if (!s->images[i]) {
			ret = -ENOMEM;
			goto out_free;
		}
		s->nr_images++;
	}
	s->path = strdup(paths[0]);
	if (!s->path) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = offline_engine_open((const char *const *)s->images, nr, &s->cancel, &s->engine,
				  s->error, sizeof(s->error));
	if (ret)
		goto out_free;
	return 0;
out_free:
	for (i = 0; i < s->nr_images; i++)
		free(s->images[i]);
	free(s->images);
	free(s->path);
	s->images = NULL;
	s->path = NULL;
	s->nr_images = 0;
	s->src = NULL;
	return ret;
}
