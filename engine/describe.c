/*
 * Title, location and attendees. Works on a per-token "role" array: every
 * token starts as part of the title unless a used date or time covers it;
 * the steps below take tokens away (request wording, the location phrase)
 * and the title is what is left of the event's clause, spelled as the
 * text spells it.
 */
#include <string.h>

#include "engine/describe.h"
#include "engine/utf8.h"

enum role { ROLE_TITLE, ROLE_TEMPORAL, ROLE_DROPPED, ROLE_LOCATION, ROLE_OUTSIDE };

struct work {
	const struct describe_input *in;
	const struct token *t;
	size_t n;
	unsigned char role[TOKEN_MAX];
	size_t clause_begin;
	size_t clause_end;            /* exclusive */
	bool request_removed;
};

static bool in_list(const struct token *t, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (token_is(t, words[i]))
			return true;
	return false;
}

/* Matches a space-separated phrase against the tokens at pos that still
 * belong to the title; returns how many tokens it covers, or 0. */
static size_t match_phrase(const struct work *w, size_t pos, const char *phrase)
{
	size_t i = pos;
	const char *p = phrase;

	while (*p) {
		char word[32];
		size_t n = 0;

		while (*p == ' ')
			p++;
		while (*p && *p != ' ' && n + 1 < sizeof word)
			word[n++] = *p++;
		word[n] = '\0';
		if (n == 0)
			break;
		while (i < w->clause_end && w->role[i] != ROLE_TITLE)
			i++;
		if (i >= w->clause_end)
			return 0;
		if (n == 1 && !((word[0] >= 'a' && word[0] <= 'z') || (word[0] >= '0' && word[0] <= '9'))) {
			if (!token_is_punct(&w->t[i], word[0]))
				return 0;
		} else if (!token_is(&w->t[i], word)) {
			/* Apostrophes typed or not: "let's" and "lets". */
			if (!(strcmp(word, "let's") == 0 && token_is(&w->t[i], "let’s")))
				return 0;
		}
		i++;
	}
	return i - pos;
}

static bool is_sentence_end(const struct work *w, size_t i)
{
	const struct token *t = &w->t[i];
	const struct token *next = i + 1 < w->n ? &w->t[i + 1] : NULL;

	if (t->kind != TOK_PUNCT)
		return false;
	if (t->punct == '!' || t->punct == '?' || t->punct == ';')
		return true;
	if (t->punct != '.')
		return false;
	if (!next)
		return true;
	/* "Dec. 31", "a.m.", "Dr. Patel", "St. Louis" do not end a sentence. */
	if (i > 0) {
		const struct token *before = &w->t[i - 1];

		if (before->kind == TOK_WORD && (strlen(before->norm) <= 2 || token_has(before, LEX_MONTH) ||
						 token_is(before, "mrs") || token_is(before, "prof") ||
						 token_is(before, "approx") || token_is(before, "dept")))
			return false;
		if (before->kind == TOK_NUM && next->kind == TOK_NUM && !next->space_before)
			return false;
	}
	return next->space_before && (next->capitalized || next->newline_before || next->kind == TOK_NUM);
}

static bool is_greeting(const struct work *w, size_t begin, size_t end)
{
	static const char *const greetings[] = {
		"hi", "hey", "hello", "dear", "morning", "thanks", "thank", "cheers", "best",
		"regards", "sincerely", "yo", NULL
	};

	return end > begin && end - begin <= 5 && in_list(&w->t[begin], greetings);
}

/* Splits the text into sentences and keeps the one with the event's date
 * or time; a sentence with nothing else falls back to its neighbours. */
static void choose_clause(struct work *w)
{
	size_t begin = 0, best_begin = 0, best_end = w->n;
	bool found = false;
	size_t first_temporal = w->n;

	for (size_t i = 0; i < w->n; i++) {
		if (w->role[i] == ROLE_TEMPORAL) {
			first_temporal = i;
			break;
		}
	}
	for (size_t i = 0; i <= w->n; i++) {
		bool boundary = i == w->n || is_sentence_end(w, i) ||
				(i > begin && w->t[i].newline_before && i > 0 &&
				 (w->t[i - 1].kind == TOK_PUNCT || w->t[i].capitalized));

		if (!boundary)
			continue;
		{
			size_t end = i < w->n && w->t[i].kind == TOK_PUNCT ? i + 1 : i;

			if (first_temporal >= begin && first_temporal < end && !found) {
				best_begin = begin;
				best_end = end;
				found = true;
			}
			begin = end;
			if (i < w->n && w->t[i].kind != TOK_PUNCT)
				begin = i;
		}
		if (i < w->n && w->t[i].kind == TOK_PUNCT)
			continue;
	}
	if (!found) {
		/* No date: the first sentence that is not a greeting. */
		best_begin = 0;
		best_end = w->n;
		begin = 0;
		for (size_t i = 0; i <= w->n; i++) {
			if (i == w->n || is_sentence_end(w, i)) {
				size_t end = i < w->n ? i + 1 : i;

				if (!is_greeting(w, begin, end) && end > begin) {
					best_begin = begin;
					best_end = end;
					break;
				}
				begin = end;
			}
		}
	}

	/* Within the sentence, a greeting before a comma ("Hi Noor,") and a
	 * lead-in before ", so" are not part of the event. */
	for (size_t i = best_begin; i < best_end; i++) {
		static const char *const joins[] = { "so", "but", "because", "then", NULL };

		if (!token_is_punct(&w->t[i], ','))
			continue;
		if (is_greeting(w, best_begin, i + 1) ||
		    (i + 1 < best_end && in_list(&w->t[i + 1], joins) && first_temporal > i)) {
			best_begin = i + 1;
		}
	}
	w->clause_begin = best_begin;
	w->clause_end = best_end;
}

static size_t first_title_token(const struct work *w)
{
	size_t i = w->clause_begin;

	while (i < w->clause_end && w->role[i] != ROLE_TITLE)
		i++;
	return i;
}

/* Drops the title tokens in the span [from, from + span) that
 * match_phrase measured; tokens of other roles inside it stay as they are. */
static void drop(struct work *w, size_t from, size_t span)
{
	for (size_t i = from; i < from + span && i < w->clause_end; i++)
		if (w->role[i] == ROLE_TITLE)
			w->role[i] = ROLE_DROPPED;
}

static bool ends_request(const char *phrase)
{
	size_t n = strlen(phrase);

	return (n >= 3 && strcmp(phrase + n - 3, " to") == 0) ||
	       (n >= 5 && strcmp(phrase + n - 5, " that") == 0) ||
	       (n >= 6 && strcmp(phrase + n - 6, " about") == 0) ||
	       (n >= 3 && strcmp(phrase + n - 3, " of") == 0);
}

/* Whether a "to" followed by a date or time comes after position pos in
 * the clause ("move our tutoring to next Monday"). */
static bool moves_to_date(const struct work *w, size_t pos)
{
	for (size_t i = pos; i + 1 < w->clause_end; i++)
		if (token_is(&w->t[i], "to") && w->role[i] == ROLE_TITLE && w->role[i + 1] == ROLE_TEMPORAL)
			return true;
	return false;
}

/* Whether a generic event noun comes next: "book a meeting", "add an
 * event", "make an appointment". */
static bool generic_follows(const struct work *w, size_t pos)
{
	static const char *const nouns[] = {
		"meeting", "appointment", "event", "reminder", "call", "entry", "calendar",
		"session", "slot", "time", NULL
	};
	size_t i = pos;
	int words = 0;

	while (i < w->clause_end && words < 3) {
		if (w->role[i] != ROLE_TITLE) {
			i++;
			continue;
		}
		if (in_list(&w->t[i], nouns))
			return true;
		if (!token_is(&w->t[i], "a") && !token_is(&w->t[i], "an") && !token_is(&w->t[i], "my") &&
		    !token_is(&w->t[i], "the") && !token_is(&w->t[i], "our") && !token_is(&w->t[i], "new"))
			return false;
		words++;
		i++;
	}
	return false;
}

/* Request wording at the start of the clause: "remind me to", "can we",
 * "please schedule a", "let's". */
static void drop_request(struct work *w)
{
	static const char *const leads[] = {
		"ok google", "hey google", "hey siri", "alexa", "cortana ,", "cortana", "olly ,", "olly",
		"hey", "hi", "hello", "ok ,", "ok", "okay", "so", "and", "also", "just", "oh", "btw",
		"please", "pls", "plz", "kindly", "reminder :", "note to self :", "todo :", "fyi",
		"remind me to", "remind me about", "remind me of", "remind me that", "remind me for",
		"remind me", "remind to", "remember me to", "remember to", "remember",
		"set a reminder for", "set a reminder to", "set a reminder that", "set a reminder about",
		"set a reminder", "set reminder for", "set reminder to", "set reminder", "reminder to",
		"reminder that", "reminder for", "reminder about", "reminder",
		"don't forget to", "dont forget to", "do not forget to", "don't forget about",
		"don't forget", "can we", "could we", "can you", "could you", "would you", "will you",
		"can i", "could i", "may i", "let's", "lets", "let us", "we should", "we need to",
		"we have to", "we must", "i need to", "i have to", "i must", "i want to", "i'd like to",
		"i would like to", "i wanna", "need to", "have to", "got to", "gotta", "i'll", "i will",
		"we'll", "we will", "i'm", "i am", "i have", "we have", "there is", "there's",
		"schedule", "book", "add", "create", "make", "put", "set up", "set", "organize",
		"organise", "arrange", "plan", "pencil in", "block off", "block", "new", "move",
		"push", "reschedule", "shift", "bump", "postpone", "change", "do", "have",
		NULL
	};
	static const char *const generic[] = {
		"event", "appointment", "meeting", "reminder", "entry", "calendar entry",
		"calendar event", "an event", NULL
	};
	bool changed = true;

	while (changed) {
		size_t pos = first_title_token(w);

		changed = false;
		for (int k = 0; leads[k]; k++) {
			size_t n = match_phrase(w, pos, leads[k]);

			if (n == 0)
				continue;
			/* "Have lunch" and "Do laundry" are titles when nothing came before. */
			if ((strcmp(leads[k], "do") == 0 || strcmp(leads[k], "have") == 0 ||
			     strcmp(leads[k], "plan") == 0 || strcmp(leads[k], "change") == 0 ||
			     strcmp(leads[k], "block") == 0 || strcmp(leads[k], "move") == 0 ||
			     strcmp(leads[k], "new") == 0 || strcmp(leads[k], "make") == 0 ||
			     strcmp(leads[k], "set") == 0 || strcmp(leads[k], "book") == 0 ||
			     strcmp(leads[k], "add") == 0 || strcmp(leads[k], "put") == 0 ||
			     strcmp(leads[k], "push") == 0 || strcmp(leads[k], "shift") == 0) &&
			    !w->request_removed && !match_phrase(w, pos + n, "a") &&
			    !match_phrase(w, pos + n, "an") && !match_phrase(w, pos + n, "my") &&
			    !match_phrase(w, pos + n, "our") && !match_phrase(w, pos + n, "the") &&
			    !match_phrase(w, pos + n, "to") && !match_phrase(w, pos + n, "in"))
				continue;
			/* "move our tutoring to Monday": only when "to" leads to the new date. */
			if ((strcmp(leads[k], "move") == 0 || strcmp(leads[k], "push") == 0 ||
			     strcmp(leads[k], "reschedule") == 0 || strcmp(leads[k], "shift") == 0 ||
			     strcmp(leads[k], "bump") == 0 || strcmp(leads[k], "postpone") == 0) &&
			    !moves_to_date(w, pos + n))
				continue;
			/* "Book a table" is a task; "book a meeting" is a request. */
			if ((strcmp(leads[k], "book") == 0 || strcmp(leads[k], "add") == 0 ||
			     strcmp(leads[k], "make") == 0 || strcmp(leads[k], "put") == 0) &&
			    !w->request_removed && !generic_follows(w, pos + n))
				continue;
			drop(w, pos, n);
			w->request_removed = true;
			changed = true;
			/* After "remind me to" the rest is the task itself. */
			if (ends_request(leads[k]))
				return;
			break;
		}
		if (changed)
			continue;

		/* "a meeting for X", "an appointment to X": the generic noun goes
		 * when a purpose follows it. */
		pos = first_title_token(w);
		{
			size_t article = match_phrase(w, pos, "a") ? match_phrase(w, pos, "a") :
					 match_phrase(w, pos, "an");

			if (!article)
				article = match_phrase(w, pos, "my") ? match_phrase(w, pos, "my") : 0;
			if (!w->request_removed)
				break;
			for (int k = 0; generic[k]; k++) {
				size_t n = match_phrase(w, pos + article, generic[k]);
				size_t after = pos + article + n;

				if (n == 0)
					continue;
				while (after < w->clause_end && w->role[after] != ROLE_TITLE)
					after++;
				if (after < w->clause_end &&
				    (token_is(&w->t[after], "to") || token_is(&w->t[after], "for") ||
				     token_is(&w->t[after], "about") || token_is(&w->t[after], "that") ||
				     token_is_punct(&w->t[after], ':'))) {
					drop(w, pos, after + 1 - pos);
					changed = true;
				} else if (after < w->clause_end && w->t[after].kind == TOK_WORD &&
					   !token_is(&w->t[after], "with") && !token_is(&w->t[after], "at") &&
					   !token_is(&w->t[after], "in") && !token_is(&w->t[after], "on") &&
					   strcmp(generic[k], "meeting") != 0 &&
					   strcmp(generic[k], "appointment") != 0) {
					drop(w, pos, article + n);
					changed = true;
				}
				break;
			}
		}
	}
}

/* Calendar phrases anywhere in the clause: "to my calendar", "in my
 * calendar", "on the calendar". */
static void drop_calendar_phrases(struct work *w)
{
	static const char *const phrases[] = {
		"to my calendar", "in my calendar", "on my calendar", "to the calendar",
		"in the calendar", "on the calendar", "to calendar", "in calendar", "my calendar",
		"an event", "event for", "please", "pls", "thanks", "thank you", "in my diary",
		"to my diary", NULL
	};

	for (size_t i = w->clause_begin; i < w->clause_end; i++) {
		if (w->role[i] != ROLE_TITLE)
			continue;
		for (int k = 0; phrases[k]; k++) {
			size_t n = match_phrase(w, i, phrases[k]);

			if (n && (k < 10 || i > first_title_token(w))) {
				drop(w, i, n);
				break;
			}
		}
	}
}

static bool is_temporal_connector(const struct token *t)
{
	static const char *const words[] = {
		"on", "at", "@", "by", "from", "until", "till", "due", "starting", "beginning",
		"around", "about", "between", "before", "after", "during", "for", "in", "this",
		"next", "every", "each", "of", "til", "through", "thru", "since", "approximately",
		"approx", "ish", "sometime", "anytime", "starts", "begins", "scheduled", "is", "are",
		"all", "over", "throughout", NULL
	};

	if (t->kind == TOK_PUNCT)
		return t->punct == '@' || t->punct == ',' || t->punct == '-' || t->punct == '(' ||
		       t->punct == ')' || t->punct == ':';
	return in_list(t, words);
}

/* Connectors left dangling in front of a removed date or time ("due" in
 * "Lab 3 due Friday", "on" in "Quiz night on the 29th"). */
static void drop_connectors(struct work *w)
{
	for (size_t i = w->clause_end; i-- > w->clause_begin;) {
		size_t next = i + 1;

		if (w->role[i] != ROLE_TITLE || !is_temporal_connector(&w->t[i]))
			continue;
		/* "check-in", "lock-in": the word is glued to the one before. */
		if (i > 0 && !w->t[i].space_before && token_is_punct(&w->t[i - 1], '-') &&
		    !w->t[i - 1].space_before)
			continue;
		while (next < w->clause_end && w->role[next] == ROLE_DROPPED)
			next++;
		if (next < w->clause_end && (w->role[next] == ROLE_TEMPORAL || w->role[next] == ROLE_LOCATION))
			w->role[i] = ROLE_DROPPED;
	}
}

/* Online meeting places, kept as the text writes them. */
static const char *const platforms[] = {
	"zoom", "teams", "skype", "webex", "hangouts", "facetime", "meet", "discord", "slack",
	"whatsapp", NULL
};

static bool is_platform(const struct work *w, size_t i)
{
	if (!in_list(&w->t[i], platforms))
		return false;
	/* "meet" alone is a verb; "Google Meet" is a place. */
	if (token_is(&w->t[i], "meet"))
		return i > 0 && token_is(&w->t[i - 1], "google");
	if (token_is(&w->t[i], "teams"))
		return w->t[i].capitalized || (i > 0 && (token_is(&w->t[i - 1], "on") ||
							 token_is(&w->t[i - 1], "via")));
	return true;
}

static bool is_stop_word(const struct token *t)
{
	static const char *const words[] = {
		"with", "to", "for", "on", "from", "about", "or", "but", "so", "because", "at", "by",
		"before", "after", "until", "then", "please", "and", "if", "when", "while", "tomorrow",
		"today", "tonight", "this", "next", "every", "each", "re", "regarding", "as", "to",
		"that", "which", "who", "where", "i", "we", "you", "see", "bring", "don't", "is",
		"are", "will", "should", "can", "could", "would", NULL
	};

	return in_list(t, words);
}

static bool is_place_noun(const struct token *t)
{
	static const char *const words[] = {
		"home", "work", "office", "school", "church", "library", "gym", "park", "airport",
		"hospital", "clinic", "cafe", "café", "mall", "beach", "station", "restaurant", "pub",
		"bar", "studio", "campus", "downtown", "dentist", "doctor's", "doctors", "salon",
		"stadium", "center", "centre", "hotel", "museum", "theater", "theatre", "court",
		"field", "pool", "lab", "warehouse", "store", "shop", "market", "bakery", "hall",
		"room", "club", "arena", "garage", "house", "apartment", "place", "bank", "groomer",
		"groomers", "vet", "barber", "hairdresser", "pharmacy", "post office", "dmv",
		"embassy", "consulate", "venue", "zoo", "cinema", "mosque", "temple", "synagogue",
		"auditorium", "garden", "lobby", "cafeteria", "canteen", "kitchen", "lounge",
		"courtyard", "clubhouse", "boardroom", "atrium", "terrace", "rooftop", "basement",
		"hospital", "pitch", "track", "rink", "gallery", "chapel", "plaza", "square", NULL
	};

	return in_list(t, words);
}

/* Words after "at"/"in" that are not places: "at least", "in person". */
static bool is_not_place(const struct token *t)
{
	static const char *const words[] = {
		"least", "all", "once", "person", "touch", "time", "advance", "general", "mind", "case",
		"fact", "order", "addition", "charge", "front", "progress", "total", "full", "most",
		"last", "first", "my", "your", "his", "her", "our", "their", "a", "an", "some", "any",
		"which", "what", "that", "this", "it", "lieu", "between", "stock", "private", "public",
		"detail", "depth", "particular", "short", "brief", "town", "bed", "line", "writing",
		"turn", "regards", "response", "hand", NULL
	};

	return in_list(t, words);
}

/* Words after "at the" that are not places: "at the same time". */
static bool is_not_place_after_the(const struct token *t)
{
	static const char *const words[] = {
		"same", "end", "start", "beginning", "latest", "earliest", "most", "least", "top",
		"bottom", "last", "first", "time", "moment", "very", NULL
	};

	return in_list(t, words);
}

/* Reads a place after a preposition at `start`; returns its token count
 * (0 when nothing place-like follows). */
static size_t read_place(const struct work *w, size_t start, bool strict)
{
	size_t i = start, count = 0;
	bool capital = false;

	if (i < w->clause_end && token_is(&w->t[i], "the")) {
		i++;
		count++;
	}
	while (i < w->n && count < 8) {
		const struct token *t = &w->t[i];

		if (w->role[i] != ROLE_TITLE)
			break;
		/* "In-N-Out", "Wilkes-Barre": words joined by hyphens are one
		 * word, whatever the parts are on their own. */
		if (t->kind != TOK_PUNCT && t->kind != TOK_SYMBOL && i + 2 < w->n &&
		    token_is_punct(&w->t[i + 1], '-') && !w->t[i + 1].space_before &&
		    !w->t[i + 2].space_before && w->t[i + 2].kind != TOK_PUNCT &&
		    w->role[i + 1] == ROLE_TITLE && w->role[i + 2] == ROLE_TITLE) {
			capital = capital || t->capitalized;
			count += 2;
			i += 2;
			continue;
		}
		if (t->kind == TOK_PUNCT && !(t->punct == '\'' || t->punct == '&' ||
					      (t->punct == '.' && i > 0 && strlen(w->t[i - 1].norm) <= 3 &&
					       w->t[i - 1].capitalized)))
			break;
		if (t->kind == TOK_SYMBOL)
			break;
		if (is_stop_word(t) && !(token_is(t, "and") && capital && i + 1 < w->n &&
					 w->t[i + 1].capitalized) &&
		    !(token_is(t, "in") && count > 0 && w->in->lower_case_text))
			break;
		/* In normal text a place is capitalised or a known place noun;
		 * lower-case words after a capitalised name end it. */
		if (strict && t->kind == TOK_WORD && !t->capitalized && !is_place_noun(t) && count > 0 &&
		    capital && !token_is(t, "of") && !token_is(t, "de") && !token_is(t, "des") &&
		    !token_is(t, "du") && !token_is(t, "la") && !token_is(t, "le"))
			break;
		/* Lower-case words are a place after "the" ("at the town hall"),
		 * up to three of them. */
		if (strict && t->kind == TOK_WORD && !t->capitalized && !is_place_noun(t) && !capital &&
		    !(count > 0 && token_is(&w->t[start], "the") && count <= 3) &&
		    !(count > 0 && i + 1 < w->n && is_place_noun(&w->t[i + 1])))
			break;
		capital = capital || t->capitalized || t->kind == TOK_NUM;
		count++;
		i++;
	}
	/* Trailing "the"/"of" never ends a place. */
	while (count > 0 && (token_is(&w->t[start + count - 1], "of") || token_is(&w->t[start + count - 1], "the")))
		count--;
	if (count == 1 && token_is(&w->t[start], "the"))
		return 0;
	return count;
}

static void set_text(char *dst, size_t size, const struct work *w, size_t first, size_t last)
{
	event_copy_clean(dst, size, w->in->text + w->t[first].start, w->t[last].end - w->t[first].start);
}

static bool is_street_word(const struct token *t)
{
	static const char *const words[] = {
		"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln",
		"drive", "dr", "way", "place", "pl", "court", "ct", "rue", "strasse", "straße", "via",
		"calle", "square", "sq", "terrace", "parkway", "pkwy", "highway", "hwy", "plaza", NULL
	};

	return in_list(t, words);
}

/* "14 Rue des Lilas", "221B Baker Street": an address with no preposition. */
static bool find_address(struct work *w, size_t *first, size_t *last)
{
	for (size_t i = 0; i + 1 < w->n; i++) {
		size_t j;
		bool street = false;

		if (w->role[i] != ROLE_TITLE || (w->t[i].kind != TOK_NUM && !(w->t[i].kind == TOK_WORD &&
		    w->t[i].norm[0] >= '0' && w->t[i].norm[0] <= '9')))
			continue;
		for (j = i + 1; j < w->n && j < i + 6 && w->role[j] == ROLE_TITLE &&
		     w->t[j].kind == TOK_WORD && (w->t[j].capitalized || token_is(&w->t[j], "des") ||
						  token_is(&w->t[j], "de") || token_is(&w->t[j], "du")); j++)
			street = street || is_street_word(&w->t[j]);
		if (street && j > i + 1) {
			*first = i;
			*last = j - 1;
			return true;
		}
	}
	return false;
}

static void find_location(struct work *w, struct event *ev)
{
	size_t first = 0, last = 0;
	bool found = false;
	float confidence = 0.85f;

	/* Online places anywhere in the text. */
	for (size_t i = 0; i < w->n && !found; i++) {
		if (w->role[i] == ROLE_TEMPORAL || !is_platform(w, i))
			continue;
		first = i > 0 && token_is(&w->t[i - 1], "google") ? i - 1 : i;
		last = i;
		found = true;
		if (first > 0 && (token_is(&w->t[first - 1], "on") || token_is(&w->t[first - 1], "via") ||
				  token_is(&w->t[first - 1], "over") || token_is(&w->t[first - 1], "using") ||
				  token_is(&w->t[first - 1], "in")))
			w->role[first - 1] = ROLE_DROPPED;
		else
			confidence = 0.7f;
	}

	/* "at/in/@ <place>" in the clause, then anywhere. */
	for (int pass = 0; pass < 2 && !found; pass++) {
		size_t begin = pass == 0 ? w->clause_begin : 0;
		size_t end = pass == 0 ? w->clause_end : w->n;

		for (size_t i = begin; i < end && !found; i++) {
			const struct token *t = &w->t[i];
			bool at = token_is(t, "at") || token_is_punct(t, '@');
			size_t count;

			if (w->role[i] != ROLE_TITLE || !(at || token_is(t, "in") || token_is(t, "inside")))
				continue;
			if (i + 1 >= w->n || w->role[i + 1] != ROLE_TITLE || is_not_place(&w->t[i + 1]))
				continue;
			if (token_is(&w->t[i + 1], "the") && i + 2 < w->n && is_not_place_after_the(&w->t[i + 2]))
				continue;
			/* "AT&T": a word glued to what follows is not a preposition. */
			if (t->kind == TOK_WORD && !w->t[i + 1].space_before)
				continue;
			count = read_place(w, i + 1, !w->in->lower_case_text);
			if (count == 0)
				continue;
			/* A number alone is an hour the grammar did not take ("at 7",
			 * "at 25:00", a second time "at 2:45pm"), never a place; a
			 * street number is followed by the street's name. */
			if (w->t[i + 1].kind == TOK_NUM && count == 1)
				continue;
			/* "in" needs a capitalised place ("in Boston", "in Room 4")
			 * outside spoken-style text. */
			if (!at && !w->in->lower_case_text && !w->t[i + 1].capitalized &&
			    !(token_is(&w->t[i + 1], "the") && i + 2 < w->n && w->t[i + 2].capitalized) &&
			    !(token_is(&w->t[i + 1], "the") && is_place_noun(&w->t[i + count])))
				continue;
			first = i + 1;
			last = i + count;
			w->role[i] = ROLE_DROPPED;
			found = true;
			if (w->in->lower_case_text)
				confidence = 0.7f;
		}
	}
	/* "go to the library", "pick up the dog from the groomer": a known
	 * place after "to" or "from". */
	for (size_t i = w->clause_begin; i + 2 < w->clause_end && !found; i++) {
		if (w->role[i] != ROLE_TITLE || !(token_is(&w->t[i], "to") || token_is(&w->t[i], "from")))
			continue;
		if (!token_is(&w->t[i + 1], "the") || w->role[i + 1] != ROLE_TITLE ||
		    w->role[i + 2] != ROLE_TITLE || !is_place_noun(&w->t[i + 2]))
			continue;
		if (i + 3 < w->n && w->role[i + 3] == ROLE_TITLE && w->t[i + 3].kind == TOK_WORD &&
		    !is_stop_word(&w->t[i + 3]))
			continue;
		first = i + 1;
		last = i + 2;
		w->role[i] = ROLE_DROPPED;
		found = true;
		confidence = 0.65f;
	}
	/* "I've booked Huddle Room 5 for ...", "booked the Oak Room". */
	for (size_t i = 0; i + 1 < w->n && !found; i++) {
		size_t count;

		if (!(token_is(&w->t[i], "booked") || token_is(&w->t[i], "reserved")) || w->role[i + 1] != ROLE_TITLE)
			continue;
		count = read_place(w, i + 1, true);
		if (count == 0 || !(w->t[i + 1].capitalized || token_is(&w->t[i + 1], "the")))
			continue;
		first = i + 1;
		last = i + count;
		found = true;
		confidence = 0.7f;
	}
	if (!found && find_address(w, &first, &last)) {
		found = true;
		confidence = 0.75f;
	}
	if (!found) {
		ev->confidence[FIELD_LOCATION] = 0.75f;
		return;
	}
	for (size_t i = first; i <= last; i++)
		w->role[i] = ROLE_LOCATION;
	/* A lower-case "the" is not part of the name. */
	if (first < last && w->t[first].end - w->t[first].start == 3 &&
	    memcmp(w->in->text + w->t[first].start, "the", 3) == 0)
		first++;
	set_text(ev->location, sizeof ev->location, w, first, last);
	event_set_has(ev, FIELD_LOCATION, true);
	ev->confidence[FIELD_LOCATION] = confidence;
}

static bool is_not_name(const struct token *t)
{
	static const char *const words[] = {
		"the", "my", "our", "your", "his", "her", "their", "a", "an", "team", "boss", "manager",
		"client", "clients", "family", "friends", "friend", "everyone", "everybody", "him",
		"them", "us", "me", "you", "colleagues", "coworkers", "cfo", "ceo", "vp", "doctor",
		"dentist", "mom", "dad", "mum", "sister", "brother", "wife", "husband", "kids", "some",
		"all", "staff", "group", "people", "someone", "anyone", "it", "this", "that", "regards",
		"love", "respect", "care", "pleasure", "joy", "i", "we", "no", "whoever", "tomorrow",
		"today", "tonight", "lunch", "dinner", "breakfast", "coffee", "drinks", "meeting",
		"about", "for", "at", "on", "in", NULL
	};

	return in_list(t, words) || token_has(t, LEX_WEEKDAY | LEX_MONTH | LEX_PART | LEX_DAYWORD |
					      LEX_RELATIVE | LEX_UNIT);
}

static bool is_title_word(const struct token *t)
{
	return token_is(t, "dr") || token_is(t, "mr") || token_is(t, "mrs") || token_is(t, "ms") ||
	       token_is(t, "prof");
}

/* Whether "and" or a comma comes within the next few words: the names
 * before it are a list of single names. */
static bool list_follows(const struct work *w, size_t from)
{
	for (size_t i = from; i < w->n && i < from + 3; i++) {
		if (token_is(&w->t[i], "and") || token_is_punct(&w->t[i], ',') || token_is_punct(&w->t[i], '&'))
			return true;
		if (w->t[i].kind != TOK_WORD || w->role[i] == ROLE_TEMPORAL || is_stop_word(&w->t[i]))
			return false;
	}
	return false;
}

/* Names after "with" (or "meet"): "with Sarah and Tom", "with May Chen",
 * "with Dr. Patel", and in spoken-style text "with mike jim and bob". */
static void find_attendees(struct work *w, struct event *ev)
{
	bool any = false;

	for (size_t i = 0; i + 1 < w->n; i++) {
		size_t j = i + 1;
		bool meet = token_is(&w->t[i], "meet") && !(i > 0 && token_is(&w->t[i - 1], "google"));

		if (!token_is(&w->t[i], "with") && !meet)
			continue;
		if (w->role[i] == ROLE_TEMPORAL)
			continue;
		while (j < w->n) {
			size_t name_first = j, name_last;
			const struct token *t = &w->t[j];

			if (w->role[j] == ROLE_TEMPORAL || t->kind != TOK_WORD)
				break;
			if (w->in->lower_case_text) {
				if (is_not_name(t) || is_stop_word(t))
					break;
				name_last = j;
				j++;
				/* "with diego alvarez": two words and no list are one name;
				 * "with mike jim and bob" is a list. */
				if (j < w->n && w->t[j].kind == TOK_WORD && !is_not_name(&w->t[j]) &&
				    !is_stop_word(&w->t[j]) && w->role[j] == ROLE_TITLE && !list_follows(w, j + 1)) {
					name_last = j;
					j++;
				}
			} else {
				/* "May Chen", "with June and April": a capitalised month after
				 * "with" is a first name unless a day number follows it. */
				bool month_name = token_has(t, LEX_MONTH) && t->capitalized && !t->all_caps &&
						  w->role[j] != ROLE_TEMPORAL &&
						  !(j + 1 < w->n && w->role[j + 1] != ROLE_TEMPORAL &&
						    (w->t[j + 1].kind == TOK_NUM ||
						     token_has(&w->t[j + 1], LEX_ORDINAL)));

				if (!t->capitalized || (is_not_name(t) && !month_name))
					break;
				if (is_title_word(t) && j + 1 < w->n) {
					j++;
					if (token_is_punct(&w->t[j], '.'))
						j++;
				}
				name_last = j;
				j++;
				/* A surname: a second capitalised word. */
				if (j < w->n && w->t[j].kind == TOK_WORD && w->t[j].capitalized &&
				    !is_not_name(&w->t[j]) && w->role[j] != ROLE_TEMPORAL &&
				    w->role[j] != ROLE_LOCATION) {
					name_last = j;
					j++;
				}
			}
			if (!event_add_attendee(ev, w->in->text + w->t[name_first].start,
						w->t[name_last].end - w->t[name_first].start))
				break;
			any = true;
			/* Separators between names. */
			if (j < w->n && (token_is_punct(&w->t[j], ',') || token_is(&w->t[j], "and") ||
					 token_is_punct(&w->t[j], '&'))) {
				j++;
				if (j < w->n && token_is(&w->t[j], "and"))
					j++;
				continue;
			}
			if (!w->in->lower_case_text)
				break;
		}
		if (meet && any)
			break;
	}
	if (any) {
		event_set_has(ev, FIELD_ATTENDEES, true);
		ev->confidence[FIELD_ATTENDEES] = w->in->lower_case_text ? 0.7f : 0.85f;
	} else {
		ev->confidence[FIELD_ATTENDEES] = 0.75f;
	}
}

static bool is_edge_word(const struct token *t, bool leading)
{
	static const char *const lead[] = {
		"the", "a", "an", "our", "my", "to", "about", "for", "that", "so", "then", "and",
		"please", "also", "just", "of", "is", "are", NULL
	};
	static const char *const trail[] = {
		"on", "at", "in", "for", "from", "by", "to", "and", "with", "the", "this", "next",
		"until", "till", "between", "starting", "every", "each", "around", "about", "over", "all",
		"please", "then", "ok", "thanks", "pls", "of", "is", "are", "it", "be", "a", "an",
		"sometime", "works", "set", "scheduled", "or", "some", "that", NULL
	};

	if (t->kind == TOK_PUNCT)
		return t->punct != '(' || !leading;
	if (t->kind == TOK_SYMBOL)
		return true;
	return in_list(t, leading ? lead : trail);
}

static void build_title(struct work *w, struct event *ev)
{
	size_t first = w->clause_begin, last;
	size_t out = 0;
	bool any = false;

	/* Trim edges: punctuation, leading articles, trailing connectors. */
	for (;;) {
		while (first < w->clause_end && w->role[first] != ROLE_TITLE)
			first++;
		if (first < w->clause_end && is_edge_word(&w->t[first], true)) {
			w->role[first] = ROLE_DROPPED;
			continue;
		}
		break;
	}
	last = w->clause_end;
	for (;;) {
		while (last > first && w->role[last - 1] != ROLE_TITLE)
			last--;
		/* "Lock-in", "check-in": a word glued to a hyphen stays. */
		if (last >= first + 3 && !w->t[last - 1].space_before && token_is_punct(&w->t[last - 2], '-') &&
		    !w->t[last - 2].space_before && w->role[last - 2] == ROLE_TITLE)
			break;
		if (last > first && is_edge_word(&w->t[last - 1], false)) {
			w->role[last - 1] = ROLE_DROPPED;
			continue;
		}
		break;
	}

	/* Copy runs of title tokens as written, one space between runs. */
	for (size_t i = first; i < last; i++) {
		size_t j = i;
		size_t len;

		if (w->role[i] != ROLE_TITLE || w->t[i].kind == TOK_SYMBOL)
			continue;
		while (j + 1 < last && w->role[j + 1] == ROLE_TITLE && w->t[j + 1].kind != TOK_SYMBOL)
			j++;
		/* Room for this run after the separating space, keeping the NUL;
		 * a title longer than the buffer stops at the first run that
		 * does not fit whole. */
		size_t room = sizeof ev->title - 1 - out - (any ? 1 : 0);

		if (out + (any ? 1 : 0) >= sizeof ev->title - 1)
			break;
		len = w->t[j].end - w->t[i].start;
		if (len > room)
			len = room;
		if (any)
			ev->title[out++] = ' ';
		memcpy(ev->title + out, w->in->text + w->t[i].start, len);
		out += len;
		ev->title[out] = '\0';
		any = true;
		i = j;
	}
	if (!any || out == 0) {
		ev->confidence[FIELD_TITLE] = 0.5f;
		return;
	}
	/* Cut on a character boundary if the copy was truncated. */
	event_copy_clean(ev->title, sizeof ev->title, ev->title, out);
	event_set_has(ev, FIELD_TITLE, true);
	ev->confidence[FIELD_TITLE] = w->request_removed ? 0.75f : 0.85f;
	if (w->clause_begin > 0 || w->clause_end < w->n)
		ev->confidence[FIELD_TITLE] = 0.65f;
}

void describe_event(const struct describe_input *in, struct event *ev)
{
	struct work w;

	memset(&w, 0, sizeof w.role);
	w.in = in;
	w.t = in->tokens;
	w.n = in->count < TOKEN_MAX ? in->count : TOKEN_MAX;
	w.request_removed = false;
	for (size_t i = 0; i < w.n; i++)
		w.role[i] = in->temporal[i] ? ROLE_TEMPORAL :
			    w.t[i].kind == TOK_SYMBOL ? ROLE_DROPPED : ROLE_TITLE;

	choose_clause(&w);
	find_location(&w, ev);
	find_attendees(&w, ev);
	drop_connectors(&w);
	drop_request(&w);
	drop_calendar_phrases(&w);
	drop_connectors(&w);
	for (size_t i = 0; i < w.n; i++)
		if (i < w.clause_begin || i >= w.clause_end)
			if (w.role[i] == ROLE_TITLE)
				w.role[i] = ROLE_OUTSIDE;
	build_title(&w, ev);
}
