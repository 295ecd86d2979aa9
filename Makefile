# Ärendestöd. Two commands matter: `make run` and `make test`. Each installs
# the Debian packages it needs when they are missing (apt-get, as root or
# with sudo; it waits up to 10 minutes for another apt or dpkg to finish),
# then builds and runs.

SHELL := /bin/bash
GO ?= go
BINARY := arendestod
export LANG ?= C.UTF-8
export LC_ALL ?= C.UTF-8

# Building the window needs cgo with the GL and X headers.
BUILD_PKGS := gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev
# The tests also start a real Dovecot, a real window under Xvfb, a real
# PostgreSQL (the store's tests run on it too), and check PDFs with poppler.
TEST_PKGS := $(BUILD_PKGS) dovecot-imapd openssl xvfb xauth imagemagick poppler-utils sqlite3 postgresql

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

define install_missing
	@missing=""; for p in $(1); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installerar saknade paket:$$missing"; \
		$(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $$missing; \
	fi
endef

.PHONY: run test build deps deps-test vet package clean bench fuzz

# Without a screen the program says so (in Swedish) before the demo starts
# its mail server.
run: build
	./$(BINARY) demo

build: deps
	@echo "Bygger $(BINARY) med $$($(GO) env GOVERSION) – första gången tar det flera minuter på en liten dator (Fyne och SQLite kompileras), sedan går det fort."
	$(GO) build -o $(BINARY) .

deps:
	$(call install_missing,$(BUILD_PKGS))

deps-test:
	$(call install_missing,$(TEST_PKGS))

vet: deps
	@echo "Kontrollerar koden (go vet) – första gången bygger det flera minuter på en liten dator."
	test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: filer ovan behöver formateras"; exit 1; }
	$(GO) vet ./...

# go test prints its own summary: one line per package, FAIL on failure.
# The packages with goroutines (store, intake, background jobs) run once
# more under the race detector.
RACE_PKGS := ./data ./app/intake ./app/jobs

test: deps-test vet
	@echo "Kör alla tester (testerna byggs först; det tar några minuter första gången)."
	$(GO) test -timeout 25m ./...
	@echo "Kör databasens tester en gång till, mot PostgreSQL."
	ARENDESTOD_TEST_BACKEND=postgres $(GO) test -timeout 25m ./data/...
	$(GO) test -race -timeout 25m $(RACE_PKGS)

bench: deps-test
	$(GO) test -run XXX -bench . -benchtime 20x ./data ./app/...

# An installable Linux package (a .tar.xz with the .desktop file and icon),
# built by fyne.io/tools from FyneApp.toml.
package: deps
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package -os linux -release

clean:
	rm -f $(BINARY) *.tar.xz
