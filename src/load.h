/* Load: one period's [data.NAME] sources read (data.c) and registered with
 * the evaluator (eval.c), with their declared column types checked and
 * their units set.  The glue between the data and model stages, so that
 * main only orders the stages. */
#ifndef ZJ_LOAD_H
#define ZJ_LOAD_H

struct cfg;
struct data_table;
struct eval;
struct period;

/* Reads every source of cfg for period p into *tables (an array of
 * cfg->nsources tables, NULL where a load failed; the caller frees each
 * with data_free and the array with free, after eval_free) and registers
 * each with ev.  Every problem is reported; returns 0, or -1 when any
 * source failed. */
int load_sources(const struct cfg *cfg, const struct period *p,
    struct eval *ev, struct data_table ***tables);

#endif
