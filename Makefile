# caltune: one Makefile for the engine, the application, the terminal UI and
# the tests. Libraries come from Debian's -dev packages through pkg-config.

VERSION     := 0.1.0
PREFIX      ?= /usr/local
DESTDIR     ?=
BUILD       ?= build
CC          ?= cc
PKG_CONFIG  ?= pkg-config

# ncursesw gives wide-character drawing; plain ncurses is the fallback on
# systems that only ship the narrow library.
CURSES_PC := $(shell $(PKG_CONFIG) --exists ncursesw && echo ncursesw || echo ncurses)
PKGS      := $(CURSES_PC) libpcre2-8 libcurl jansson sqlite3

# Debian 12 package names, used by `make deps` and by .ci/run.
DEBIAN_PACKAGES := build-essential pkg-config libncurses-dev libpcre2-dev \
	libcurl4-openssl-dev libjansson-dev libsqlite3-dev libcmocka-dev \
	tmux python3 tzdata

WARN     := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c17 $(WARN) $(CFLAGS) $(SAN_FLAGS) -D_POSIX_C_SOURCE=200809L \
	-D_DEFAULT_SOURCE -DCALTUNE_VERSION='"$(VERSION)"' -I. \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
LIBS      = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lpthread -lm
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

# SANITIZE=address,undefined builds with ASan and UBSan; any other value is
# rejected so a typo cannot silently produce an uninstrumented build.
SANITIZE ?=
ifeq ($(SANITIZE),)
SAN_FLAGS :=
else ifeq ($(SANITIZE),address,undefined)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
$(error SANITIZE accepts only "address,undefined" (got "$(SANITIZE)"))
endif

ENGINE_SRC := $(sort $(wildcard engine/*.c))
APP_SRC    := $(sort $(filter-out app/main.c,$(wildcard app/*.c)))
VIEWS_SRC  := $(sort $(wildcard views/*.c))
UNIT_SRC   := $(sort $(wildcard tests/unit/test_*.c))
# Helpers shared by unit tests, such as the local HTTP server.
SUPPORT_SRC := $(sort $(wildcard tests/unit/support/*.c))

ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/%.o)
APP_OBJ    := $(APP_SRC:%.c=$(BUILD)/%.o)
VIEWS_OBJ  := $(VIEWS_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SUPPORT_OBJ := $(SUPPORT_SRC:%.c=$(BUILD)/%.o)
# Unit tests link the app library without the command layer (app/cmd_*.c),
# which calls into views/.
TEST_APP_OBJ := $(filter-out $(BUILD)/app/cmd_%.o,$(APP_OBJ))

BIN := $(BUILD)/caltune
CORPUS ?= corpora/events.jsonl

.PHONY: all run test unit-test cli-test ui-test sanitize bench install clean deps \
	check-deps valgrind lint bench-llm demo

all: check-deps $(BIN)

# Fails early with the exact install command when a library is missing,
# instead of a wall of compiler errors.
check-deps:
	@missing=""; for p in $(PKGS); do $(PKG_CONFIG) --exists $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "caltune: missing libraries:$$missing" >&2; \
		echo "caltune: install them with: make deps (as root) or" >&2; \
		echo "  sudo apt-get install -y $(DEBIAN_PACKAGES)" >&2; exit 2; fi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BIN): $(BUILD)/app/main.o $(APP_OBJ) $(VIEWS_OBJ) $(ENGINE_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(SUPPORT_OBJ) $(TEST_APP_OBJ) $(ENGINE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(SUPPORT_OBJ) $(TEST_APP_OBJ) $(ENGINE_OBJ) \
		$(LIBS) $(TEST_LIBS)

# `make run` installs what is missing where it can (root), builds, and opens
# the UI on the bundled corpus.
run:
	@$(MAKE) --no-print-directory deps-if-missing
	@$(MAKE) --no-print-directory all
	./$(BIN) --corpus $(CORPUS)

deps-if-missing:
	@missing=""; for p in $(PKGS); do $(PKG_CONFIG) --exists $$p 2>/dev/null || missing=1; done; \
	command -v $(PKG_CONFIG) >/dev/null || missing=1; \
	if [ -n "$$missing" ]; then $(MAKE) --no-print-directory deps; fi

deps:
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEBIAN_PACKAGES); \
	else \
		echo "Run as root, or install the packages yourself:"; \
		echo "  sudo apt-get install -y $(DEBIAN_PACKAGES)"; \
	fi

test: all $(UNIT_BIN)
	@$(MAKE) --no-print-directory unit-test cli-test ui-test

unit-test: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

cli-test: $(BIN)
	@CALTUNE=$(abspath $(BIN)) python3 tests/cli/run_cli_tests.py

ui-test: $(BIN)
	@CALTUNE=$(abspath $(BIN)) bash tests/ui/run_ui_tests.sh

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer,
# in its own build folder so the normal build is untouched.
sanitize:
	@$(MAKE) --no-print-directory BUILD=build-sanitize SANITIZE=address,undefined \
		CFLAGS="-O1 -g" test

valgrind: $(UNIT_BIN) $(BIN)
	@CALTUNE=$(abspath $(BIN)) bash tests/valgrind.sh $(UNIT_BIN)

TIER_BENCH := $(BUILD)/bench/tier_bench

$(TIER_BENCH): bench/tier_bench.c $(TEST_APP_OBJ) $(ENGINE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TEST_APP_OBJ) $(ENGINE_OBJ) $(LIBS)

bench: all $(TIER_BENCH)
	@bash bench/run.sh $(abspath $(BIN)) $(abspath $(TIER_BENCH))

# The LLM tier against tests/llm_standin.py: a 400-case --mode llm run with
# 300 ms answers, the same run with no server and in replay (about 5 min).
bench-llm: all
	@bash bench/llm_bench.sh $(abspath $(BIN))

# The terminal UI with a stand-in LLM server answering from the corpus's
# labels after 300 ms, so the LLM tier can be shown without a model.
demo: all
	@bash tests/demo.sh $(abspath $(BIN))

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/caltune/corpora
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/caltune
	install -m 0644 corpora/events.jsonl corpora/README.md $(DESTDIR)$(PREFIX)/share/caltune/corpora/

clean:
	rm -rf build build-sanitize

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
