/*
 * The interrupt handler only sets an atomic flag that the runner polls,
 * so the run ends through its normal path and records what it finished.
 */
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "app/cli_run.h"
#include "app/recorder.h"
#include "engine/clock.h"

static atomic_bool interrupted;

static void on_signal(int signo)
{
	(void)signo;
	atomic_store(&interrupted, true);
}

struct run_output {
	const struct cli_command *command;
	size_t bad_lines;
	bool progress;
	int64_t last_progress_ns;
};

static void print_bad_line(void *context, const char *message)
{
	struct run_output *out = context;

	if (out->bad_lines++ < CLI_BAD_LINES_SHOWN) {
		fprintf(stderr, "caltune %s: ", out->command->name);
		cli_put_text(stderr, message, strlen(message));
		fputc('\n', stderr);
	}
}

static void print_progress(void *context, const struct runner_progress *p)
{
	struct run_output *out = context;
	int64_t now = clock_now_ns();
	double rate;

	/* At most ten updates a second, and always the last one. */
	if (!out->progress || (p->done < p->total && now - out->last_progress_ns < 100000000))
		return;
	out->last_progress_ns = now;
	rate = p->elapsed_ms > 0 ? (double)p->done / (p->elapsed_ms / 1000.0) : 0.0;
	fprintf(stderr, "\rrun %lld: %zu/%zu cases, %zu errors, %.0f cases/s ", (long long)p->run_id,
		p->done, p->total, p->errors, rate);
	if (p->llm.state != CASCADE_LLM_OFF)
		fprintf(stderr, "(llm %-6s %3d in flight) ", cascade_llm_state_name(p->llm.state),
			p->llm.in_flight);
	if (p->done == p->total)
		fputc('\n', stderr);
	fflush(stderr);
}

int cli_run_options(const struct cli_args *args, struct runner_options *o, char *db,
		    size_t db_size, char *err, size_t err_size)
{
	const char *jobs = cli_value(args, "jobs");
	long n = cli_default_jobs();

	memset(o, 0, sizeof *o);
	if (args->positional_count > 0) {
		snprintf(err, err_size, "unexpected argument \"%s\": give the corpus with --corpus FILE",
			 args->positional[0]);
		return -1;
	}
	o->corpus_path = cli_value(args, "corpus");
	if (!o->corpus_path) {
		snprintf(err, err_size, "missing --corpus FILE: name the labelled corpus to run, such "
			 "as --corpus corpora/events.jsonl");
		return -1;
	}
	if (jobs && cli_parse_long("jobs", jobs, 1, 256, &n, err, err_size) < 0)
		return -1;
	o->jobs = (int)n;
	o->predictions_path = cli_value(args, "predictions");
	if (cli_build_config(args, &o->cfg, err, err_size) < 0 ||
	    cli_db_path(args, db, db_size, err, err_size) < 0)
		return -1;
	o->db_path = db;
	return 0;
}

int cli_run_corpus(const struct cli_command *command, struct runner_options *options,
		   bool show_progress, bool no_record, struct run_summary *out, char *err,
		   size_t err_size)
{
	struct run_output output = { .command = command };
	struct sigaction action;
	struct sigaction old_int;
	struct sigaction old_term;
	struct recorder *recorder = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if (recorder_for_config(&options->cfg, options->db_path, no_record, &recorder, err,
				err_size) < 0)
		return -1;
	options->recorder = recorder ? recorder_hooks(recorder) : NULL;
	atomic_store(&interrupted, false);
	output.progress = show_progress && isatty(STDERR_FILENO);
	options->on_corpus_error = print_bad_line;
	options->error_context = &output;
	options->on_progress = print_progress;
	options->progress_context = &output;
	options->cancel = &interrupted;

	memset(&action, 0, sizeof action);
	action.sa_handler = on_signal;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, &old_int);
	sigaction(SIGTERM, &action, &old_term);
	rc = runner_run(options, out, err, err_size);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	options->recorder = NULL;
	recorder_free(recorder);

	if (output.progress && out->cancelled)
		fputc('\n', stderr);
	if (output.bad_lines > CLI_BAD_LINES_SHOWN)
		fprintf(stderr, "caltune %s: ... (%zu more bad lines)\n", command->name,
			output.bad_lines - CLI_BAD_LINES_SHOWN);
	return rc;
}

static void print_percent(FILE *f, size_t part, size_t whole)
{
	if (whole)
		fprintf(f, "%6.1f%%  (%zu/%zu)", 100.0 * (double)part / (double)whole, part, whole);
	else
		fprintf(f, "     -   (no case labels it)");
}

void cli_print_summary(FILE *f, const struct run_summary *s)
{
	if (s->run_id)
		fprintf(f, "run %lld", (long long)s->run_id);
	else
		fprintf(f, "run (not recorded)");
	fprintf(f, ": %zu cases, %zu errors, %zu bad lines, %.1f ms, preset %s, mode %s%s\n",
		s->cases, s->errors, s->bad_lines, s->wall_ms, s->preset, s->mode,
		s->cancelled ? ", CANCELLED" : "");
	fprintf(f, "corpus %s\n\naccuracy      ", s->corpus);
	print_percent(f, s->correct, s->cases);
	fputc('\n', f);
	for (int k = 0; k < FIELD_COUNT; k++) {
		fprintf(f, "  %-12s", field_name((enum field)k));
		print_percent(f, s->field_correct[k], s->field_expected[k]);
		fputc('\n', f);
	}
	if (s->tag_count)
		fprintf(f, "\nby tag\n");
	for (size_t i = 0; i < s->tag_count; i++) {
		fprintf(f, "  %-24s", s->tags[i].tag);
		print_percent(f, s->tags[i].correct, s->tags[i].cases);
		fputc('\n', f);
	}

	fprintf(f, "\n%-6s %9s %9s %9s %9s %10s %10s\n", "tier", "calls", "answered", "hit rate",
		"failures", "p50 us", "p95 us");
	for (int t = 0; t < TIER_COUNT; t++) {
		const struct tier_summary *ts = &s->tiers[t];

		fprintf(f, "%-6s %9llu %9llu %8.1f%% %9llu %10.1f %10.1f\n", tier_name((enum tier)t),
			(unsigned long long)ts->calls, (unsigned long long)ts->answered,
			s->cases ? 100.0 * (double)ts->answered / (double)s->cases : 0.0,
			(unsigned long long)ts->failures, ts->p50_us, ts->p95_us);
	}
	fprintf(f, "\ncache  %llu lookups, %llu hits (%.1f%%)\n", (unsigned long long)s->cache_lookups,
		(unsigned long long)s->cache_hits, s->cache_lookups ?
		100.0 * (double)s->cache_hits / (double)s->cache_lookups : 0.0);
	fprintf(f, "parse  p50 %.1f us, p95 %.1f us (end to end)\n", s->parse_p50_us, s->parse_p95_us);
	fprintf(f, "llm    %s: %llu calls, %llu failures, %llu fields lost, %llu retries, "
		"%llu replayed\n", s->llm.state[0] ? s->llm.state : "off",
		(unsigned long long)s->llm.calls, (unsigned long long)s->llm.failures,
		(unsigned long long)s->llm.lost_fields, (unsigned long long)s->llm.retries,
		(unsigned long long)s->llm.replayed);
}
