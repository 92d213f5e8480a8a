// SPDX-License-Identifier: GPL-2.0-or-later
/* test-model.c - qgroup model: ids, DAG building, lookups, sorting */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model-table.h"
#include "qgroup-model.h"

static void test_id_parse(void **state)
{
	uint64_t id;
	char buf[32];

	assert_int_equal(qgroup_id_parse("0/256", &id), 0);
	assert_int_equal(id, 256);
	assert_int_equal(qgroup_id_parse("1/100", &id), 0);
	assert_int_equal(id, 281474976710756ULL);
	assert_string_equal(qgroup_id_format(id, buf, sizeof(buf)), "1/100");
	assert_int_equal(qgroup_id_parse("257", &id), 0);
	assert_int_equal(id, 257);
	assert_int_equal(qgroup_id_parse("65535/281474976710655", &id), 0);
	assert_int_equal(qgroup_id_parse("65536/1", &id), -EINVAL);
	assert_int_equal(qgroup_id_parse("1/281474976710656", &id), -EINVAL);
	assert_int_equal(qgroup_id_parse("1/", &id), -EINVAL);
	assert_int_equal(qgroup_id_parse("/1", &id), -EINVAL);
	assert_int_equal(qgroup_id_parse("1/2/3", &id), -EINVAL);
	assert_int_equal(qgroup_id_parse("abc", &id), -EINVAL);
	assert_int_equal(qgroup_id_parse("", &id), -EINVAL);
	assert_int_equal(qgroup_id_parse("99999999999999999999/1", &id), -EINVAL);
}

/* a DAG: 0/256 and 0/257 in 1/1; 0/257 also in 1/2; 1/1 and 1/2 in 2/1 */
static void build_dag(struct qgroup_model *m)
{
	struct qgroup *q;
	const uint64_t ids[] = { QGROUP_ID(2, 1), 257, QGROUP_ID(1, 2), 256, QGROUP_ID(1, 1), 5 };

	qgroup_model_init(m);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_int_equal(qgroup_model_get(m, ids[i], &q), 0);
		q->rfer = 1000 * (i + 1);
		q->excl = 10 * (i + 1);
	}
	assert_int_equal(qgroup_model_add_relation(m, 256, QGROUP_ID(1, 1)), 0);
	assert_int_equal(qgroup_model_add_relation(m, 257, QGROUP_ID(1, 1)), 0);
	assert_int_equal(qgroup_model_add_relation(m, 257, QGROUP_ID(1, 2)), 0);
	assert_int_equal(qgroup_model_add_relation(m, 257, QGROUP_ID(1, 2)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(1, 1), QGROUP_ID(2, 1)), 0);
	assert_int_equal(qgroup_model_add_relation(m, QGROUP_ID(1, 2), QGROUP_ID(2, 1)), 0);
	assert_int_equal(qgroup_model_finish(m), 0);
}

static void test_dag(void **state)
{
	struct qgroup_model m;
	struct qgroup *q;

	build_dag(&m);
	assert_int_equal(m.nr_qgroups, 6);
	for (size_t i = 1; i < m.nr_qgroups; i++)
		assert_true(m.qgroups[i - 1].id < m.qgroups[i].id);
	q = qgroup_model_find(&m, 257);
	assert_non_null(q);
	assert_int_equal(q->nr_parents, 2);
	assert_int_equal(q->parents[0], QGROUP_ID(1, 1));
	assert_int_equal(q->parents[1], QGROUP_ID(1, 2));
	q = qgroup_model_find(&m, QGROUP_ID(1, 1));
	assert_int_equal(q->nr_children, 2);
	assert_int_equal(q->children[0], 256);
	assert_int_equal(q->children[1], 257);
	q = qgroup_model_find(&m, QGROUP_ID(2, 1));
	assert_int_equal(q->nr_children, 2);
	assert_int_equal(q->nr_parents, 0);
	assert_null(qgroup_model_find(&m, 999));
	qgroup_model_free(&m);
	assert_int_equal(m.nr_qgroups, 0);
}

static void test_get_existing(void **state)
{
	struct qgroup_model m;
	struct qgroup *a, *b;

	qgroup_model_init(&m);
	assert_int_equal(qgroup_model_get(&m, 300, &a), 0);
	a->rfer = 7;
	assert_int_equal(qgroup_model_get(&m, 200, &b), 0);
	assert_int_equal(qgroup_model_get(&m, 300, &a), 0);
	assert_int_equal(a->rfer, 7);
	assert_int_equal(m.nr_qgroups, 2);
	/* many ids, in descending order, must still all be found */
	for (uint64_t i = 1000; i > 500; i--)
		assert_int_equal(qgroup_model_get(&m, i, &a), 0);
	assert_int_equal(qgroup_model_finish(&m), 0);
	for (uint64_t i = 501; i <= 1000; i++)
		assert_non_null(qgroup_model_find(&m, i));
	qgroup_model_free(&m);
}

static void test_sort_filter(void **state)
{
	struct qgroup_model m;
	struct model_table_opts o;
	size_t nr, *idx;

	build_dag(&m);
	model_table_opts_default(&o);
	assert_int_equal(model_sort_parse("-rfer", &o.sort), 0);
	idx = model_sorted_index(&m, &o, &nr);
	assert_int_equal(nr, 6);
	for (size_t i = 1; i < nr; i++)
		assert_true(m.qgroups[idx[i - 1]].rfer >= m.qgroups[idx[i]].rfer);
	free(idx);

	o.level = 1;
	idx = model_sorted_index(&m, &o, &nr);
	assert_int_equal(nr, 2);
	free(idx);

	assert_int_equal(model_sort_parse("bogus", &o.sort), -EINVAL);
	assert_int_equal(model_sort_parse("+excl,-qgroupid", &o.sort), 0);
	assert_int_equal(o.sort.nr, 2);
	assert_false(o.sort.descending[0]);
	assert_true(o.sort.descending[1]);
	qgroup_model_free(&m);
}

/* 10,000 members of one qgroup, each relation given twice: linear, deduped */
static void test_many_relations(void **state)
{
	struct qgroup_model m;
	struct qgroup *p;

	qgroup_model_init(&m);
	for (uint64_t id = 256; id < 256 + 10000; id++) {
		assert_int_equal(qgroup_model_add_relation(&m, id, QGROUP_ID(1, 1)), 0);
		assert_int_equal(qgroup_model_add_relation(&m, id, QGROUP_ID(1, 1)), 0);
	}
	assert_int_equal(qgroup_model_finish(&m), 0);
	p = qgroup_model_find(&m, QGROUP_ID(1, 1));
	assert_non_null(p);
	assert_int_equal(p->nr_children, 10000);
	for (size_t i = 1; i < p->nr_children; i++)
		assert_true(p->children[i - 1] < p->children[i]);
	assert_int_equal(qgroup_model_find(&m, 300)->nr_parents, 1);
	/* a second finish (sources call it again) adds nothing twice */
	assert_int_equal(qgroup_model_add_relation(&m, 300, QGROUP_ID(1, 1)), 0);
	assert_int_equal(qgroup_model_finish(&m), 0);
	assert_int_equal(qgroup_model_find(&m, QGROUP_ID(1, 1))->nr_children, 10000);
	assert_int_equal(qgroup_model_find(&m, 300)->nr_parents, 1);
	qgroup_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_relations),
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_dag),
		cmocka_unit_test(test_get_existing),
		cmocka_unit_test(test_sort_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
