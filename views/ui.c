/*
 * The terminal UI's entry point and main loop. ui_run owns the terminal:
 * it switches it to curses mode, and once curses has started every way
 * out (quit or a signal) goes through endwin before returning, so the
 * shell gets its terminal back. Signals only set a flag; the loop notices it within
 * one input timeout, because curses must not be called from a handler.
 *
 * The loop refreshes every UI_REFRESH_MS even when no key arrives, so the
 * figures of a live run move at least four times a second.
 */
#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/log.h"
#include "views/draw.h"
#include "views/frame.h"
#include "views/keymap.h"
#include "views/session.h"
#include "views/ui.h"
#include "views/view.h"

#define UI_REFRESH_MS 250
#define UI_ESCAPE_DELAY_MS 25   /* how long a lone Esc waits for a key sequence */

/* The one table of views, in Tab order. */
static const struct view *const views[VIEW_COUNT] = {
	[VIEW_DASHBOARD] = &view_dashboard,
	[VIEW_PRESETS] = &view_presets,
	[VIEW_THRESHOLDS] = &view_thresholds,
	[VIEW_HISTORY] = &view_history,
	[VIEW_CASES] = &view_cases,
	[VIEW_PLAYGROUND] = &view_playground,
};

struct ui {
	struct session *session;
	int current;              /* enum view_id */
	bool show_function_bar;
	bool help_open;
	int help_scroll;
	bool asking_quit;
	bool quit;
};

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int signo)
{
	stop_signal = signo;
}

struct saved_signals {
	struct sigaction interrupt, terminate, hangup;
};

static void install_signals(struct saved_signals *saved)
{
	struct sigaction action;

	/* No SA_RESTART, so a blocked read returns and the loop checks the flag. */
	memset(&action, 0, sizeof action);
	action.sa_handler = on_stop_signal;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, &saved->interrupt);
	sigaction(SIGTERM, &action, &saved->terminate);
	sigaction(SIGHUP, &action, &saved->hangup);
}

static void restore_signals(const struct saved_signals *saved)
{
	sigaction(SIGINT, &saved->interrupt, NULL);
	sigaction(SIGTERM, &saved->terminate, NULL);
	sigaction(SIGHUP, &saved->hangup, NULL);
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Translates a curses key into a keymap key code; 0 for keys the UI does
 * not use. */
static int translate_key(int code, bool is_function_key)
{
	if (!is_function_key) {
		switch (code) {
		case '\n':
		case '\r':
			return KEYMAP_KEY_ENTER;
		case '\t':
			return KEYMAP_KEY_TAB;
		case 27:
			return KEYMAP_KEY_ESCAPE;
		case 127:
		case 8:
			return KEYMAP_KEY_BACKSPACE;
		default:
			return code;
		}
	}
	if (code >= KEY_F(1) && code <= KEY_F(12))
		return KEYMAP_KEY_F(code - KEY_F(0));
	switch (code) {
	case KEY_UP:
		return KEYMAP_KEY_UP;
	case KEY_DOWN:
		return KEYMAP_KEY_DOWN;
	case KEY_LEFT:
		return KEYMAP_KEY_LEFT;
	case KEY_RIGHT:
		return KEYMAP_KEY_RIGHT;
	case KEY_PPAGE:
		return KEYMAP_KEY_PAGE_UP;
	case KEY_NPAGE:
		return KEYMAP_KEY_PAGE_DOWN;
	case KEY_HOME:
		return KEYMAP_KEY_HOME;
	case KEY_END:
		return KEYMAP_KEY_END;
	case KEY_BACKSPACE:
		return KEYMAP_KEY_BACKSPACE;
	case KEY_DC:
		return KEYMAP_KEY_DELETE;
	case KEY_ENTER:
		return KEYMAP_KEY_ENTER;
	case KEY_BTAB:
		return KEYMAP_KEY_BACK_TAB;
	case KEY_RESIZE:
		return KEYMAP_KEY_RESIZE;
	default:
		return 0;
	}
}

/* Waits up to timeout_ms for a key; returns its keymap code, or 0. */
static int read_key(int timeout_ms)
{
	timeout(timeout_ms);
#if defined(NCURSES_WIDECHAR) && NCURSES_WIDECHAR
	wint_t wide;
	int rc = get_wch(&wide);

	if (rc == ERR)
		return 0;
	return translate_key((int)wide, rc == KEY_CODE_YES);
#else
	int code = getch();

	if (code == ERR)
		return 0;
	return translate_key(code, code >= KEY_MIN);
#endif
}

static void draw_screen(struct ui *ui)
{
	struct session *s = ui->session;
	int height, width;
	struct draw_rect area;
	int message_rows;
	int bottom_rows;

	draw_size(&height, &width);
	draw_clear();
	if (height < FRAME_MIN_HEIGHT || width < FRAME_MIN_WIDTH) {
		frame_draw_too_small(s, height, width);
		draw_present();
		return;
	}

	message_rows = frame_message_rows(s, width);
	bottom_rows = message_rows + (ui->show_function_bar ? 1 : 0);
	area = (struct draw_rect){ 1, 0, height - 1 - bottom_rows, width };
	frame_draw_header(s, views, ui->current, width);
	if (ui->help_open)
		frame_draw_help(area, views[ui->current], &ui->help_scroll);
	else
		views[ui->current]->draw(s, area);
	frame_draw_message(s, height - bottom_rows, message_rows, width,
			   !ui->help_open && views[ui->current]->editing &&
			   views[ui->current]->editing());
	if (ui->show_function_bar)
		frame_draw_function_bar(height - 1, width);
	if (ui->asking_quit)
		frame_draw_quit_question(s, height, width);
	draw_present();
}

static void show_view(struct ui *ui, int id)
{
	if (id < 0 || id >= VIEW_COUNT)
		return;
	ui->current = id;
	ui->help_open = false;
}

static void request_quit(struct ui *ui)
{
	if (session_run_going(ui->session))
		ui->asking_quit = true;
	else
		ui->quit = true;
}

static bool handle_help_key(struct ui *ui, int key)
{
	int height, width;

	draw_size(&height, &width);
	switch (keymap_lookup(KEYMAP_SCOPE_GLOBAL, key)) {
	case KEYMAP_UP:
		ui->help_scroll--;
		return true;
	case KEYMAP_DOWN:
		ui->help_scroll++;
		return true;
	case KEYMAP_PAGE_UP:
		ui->help_scroll -= height / 2;
		return true;
	case KEYMAP_PAGE_DOWN:
		ui->help_scroll += height / 2;
		return true;
	case KEYMAP_TOP:
		ui->help_scroll = 0;
		return true;
	case KEYMAP_BOTTOM:
		ui->help_scroll = 1 << 20;
		return true;
	case KEYMAP_BACK:
	case KEYMAP_HELP:
		ui->help_open = false;
		return true;
	case KEYMAP_QUIT:
		/* q closes help; F10 still quits from anywhere. */
		if (key == KEYMAP_KEY_F(10))
			return false;
		ui->help_open = false;
		return true;
	default:
		/* Any other key closes help and keeps its own meaning. */
		ui->help_open = false;
		return false;
	}
}

static void apply_global_action(struct ui *ui, enum keymap_action action)
{
	struct session *s = ui->session;

	switch (action) {
	case KEYMAP_QUIT:
		request_quit(ui);
		break;
	case KEYMAP_HELP:
		ui->help_open = true;
		ui->help_scroll = 0;
		break;
	case KEYMAP_BACK:
		show_view(ui, VIEW_DASHBOARD);
		break;
	case KEYMAP_NEXT_VIEW:
		show_view(ui, (ui->current + 1) % VIEW_COUNT);
		break;
	case KEYMAP_PREV_VIEW:
		show_view(ui, (ui->current + VIEW_COUNT - 1) % VIEW_COUNT);
		break;
	case KEYMAP_SHOW_DASHBOARD:
		show_view(ui, VIEW_DASHBOARD);
		break;
	case KEYMAP_SHOW_PRESETS:
		show_view(ui, VIEW_PRESETS);
		break;
	case KEYMAP_SHOW_THRESHOLDS:
		show_view(ui, VIEW_THRESHOLDS);
		break;
	case KEYMAP_SHOW_HISTORY:
		show_view(ui, VIEW_HISTORY);
		break;
	case KEYMAP_SHOW_CASES:
		show_view(ui, VIEW_CASES);
		break;
	case KEYMAP_SHOW_PLAYGROUND:
		show_view(ui, VIEW_PLAYGROUND);
		break;
	case KEYMAP_RERUN:
		session_rerun(s);
		break;
	case KEYMAP_STOP_RUN:
		session_stop_run(s);
		break;
	case KEYMAP_REDRAW:
		draw_invalidate();
		break;
	case KEYMAP_TOGGLE_BAR:
		ui->show_function_bar = !ui->show_function_bar;
		break;
	case KEYMAP_PRESET_PERFORMANCE:
		session_apply_preset(s, "performance");
		break;
	case KEYMAP_PRESET_BALANCED:
		session_apply_preset(s, "balanced");
		break;
	case KEYMAP_PRESET_QUALITY:
		session_apply_preset(s, "quality");
		break;
	default:
		break;
	}
}

static void handle_key(struct ui *ui, int key)
{
	const struct view *view = views[ui->current];
	struct session *s = ui->session;
	enum keymap_action action;
	int height, width;

	if (key == KEYMAP_KEY_RESIZE) {
		draw_invalidate();
		return;
	}
	if (ui->asking_quit) {
		ui->asking_quit = false;
		if (key == 'y' || key == 'Y') {
			session_stop_run(s);
			ui->quit = true;
		}
		return;
	}

	/* On a too-small screen only the keys that need no view work. */
	draw_size(&height, &width);
	if (height < FRAME_MIN_HEIGHT || width < FRAME_MIN_WIDTH) {
		action = keymap_lookup(KEYMAP_SCOPE_GLOBAL, key);
		if (action == KEYMAP_QUIT || action == KEYMAP_REDRAW || action == KEYMAP_STOP_RUN)
			apply_global_action(ui, action);
		return;
	}
	if (ui->help_open && handle_help_key(ui, key))
		return;

	if (view->editing && view->editing() &&
	    (keymap_is_text(key) || keymap_lookup_editor(key) != KEYMAP_NONE) &&
	    view->key(s, KEYMAP_NONE, key))
		return;
	action = keymap_lookup((int)ui->current, key);
	if (action == KEYMAP_NONE)
		return;
	if (view->key(s, action, key))
		return;
	apply_global_action(ui, action);
}

static int start_curses(SCREEN **screen, char *err, size_t err_size)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, err_size, "the terminal UI needs a terminal on stdin and stdout: "
			 "for scripts use caltune run, history or compare");
		return -1;
	}
	*screen = newterm(NULL, stdout, stdin);
	if (!*screen) {
		const char *term = getenv("TERM");

		snprintf(err, err_size, "cannot start the terminal UI on TERM=%s: set TERM to a "
			 "terminal type this system knows, such as xterm-256color",
			 term ? term : "(unset)");
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(UI_ESCAPE_DELAY_MS);
	curs_set(0);
	return 0;
}

static void run_loop(struct ui *ui)
{
	int64_t next_refresh = 0;

	while (!ui->quit) {
		int64_t now = monotonic_ms();
		int key;

		if (stop_signal) {
			LOG_AT(LOG_INFO, "ui: signal %d, quitting", (int)stop_signal);
			session_stop_run(ui->session);
			break;
		}
		if (now >= next_refresh) {
			session_tick(ui->session);
			for (int v = 0; v < VIEW_COUNT; v++)
				if (views[v]->tick)
					views[v]->tick(ui->session);
			next_refresh = now + UI_REFRESH_MS;
		}
		if (ui->session->requested_view >= 0) {
			show_view(ui, ui->session->requested_view);
			ui->session->requested_view = -1;
		}
		draw_screen(ui);

		key = read_key((int)(next_refresh - monotonic_ms() > 0 ?
				     next_refresh - monotonic_ms() : 0));
		if (key != 0)
			handle_key(ui, key);
	}
}

int ui_run(const struct ui_options *options, char *err, size_t err_size)
{
	struct ui ui;
	struct saved_signals saved;
	SCREEN *screen = NULL;
	char *saved_locale = NULL;
	const char *current_locale;
	int initialised = 0;
	int rc = -1;

	memset(&ui, 0, sizeof ui);
	ui.current = VIEW_DASHBOARD;
	ui.show_function_bar = !options->hide_function_bar;
	ui.session = calloc(1, sizeof *ui.session);
	if (!ui.session) {
		snprintf(err, err_size, "out of memory starting the terminal UI");
		return -1;
	}

	/* Wide characters need the operator's locale for LC_CTYPE; numbers
	 * keep the C locale so JSON and printf use a decimal point. */
	current_locale = setlocale(LC_ALL, NULL);
	saved_locale = current_locale ? strdup(current_locale) : NULL;
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");

	stop_signal = 0;
	install_signals(&saved);
	if (start_curses(&screen, err, err_size) != 0)
		goto out_signals;
	draw_init(colors_wanted(options->no_color));

	/* The terminal is the UI's from here, so a large corpus loads under a
	 * notice instead of a blank screen that echoes what is typed. */
	frame_draw_loading(options->corpus_path);
	if (session_init(ui.session, options, err, err_size) != 0)
		goto out_curses;
	for (; initialised < VIEW_COUNT; initialised++) {
		char view_err[256];

		if (views[initialised]->init(ui.session, view_err, sizeof view_err) != 0)
			session_message(ui.session, SESSION_ERROR, "%s: %s", views[initialised]->name,
					view_err);
	}
	LOG_AT(LOG_INFO, "ui: started (corpus %s, history %s%s)",
	       ui.session->corpus_path[0] ? ui.session->corpus_path : "none",
	       ui.session->db_path, ui.session->readonly ? ", read-only" : "");

	run_loop(&ui);
	LOG_AT(LOG_INFO, "ui: stopped");
	rc = 0;
out_curses:
	endwin();
	delscreen(screen);
out_signals:
	restore_signals(&saved);
	if (saved_locale) {
		setlocale(LC_ALL, saved_locale);
		free(saved_locale);
	}
	for (int v = 0; v < initialised; v++)
		if (views[v]->free)
			views[v]->free();
	session_free(ui.session);
	free(ui.session);
	return rc;
}
