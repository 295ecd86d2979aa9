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
	@echo "Kontrollerar Windows-bygget (GOOS=windows go vet)."
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) vet -tags ci ./...

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

# Installable packages, built by fyne.io/tools from FyneApp.toml (name, ID,
# version, icon): for Linux Ärendestöd.tar.xz (with the .desktop file and
# icon), for Windows Ärendestöd.exe, cross-compiled with MinGW, its icon,
# version and manifest embedded. The fyne tool is built first on its own,
# since CC=x86_64-w64-mingw32-gcc must reach only the Windows build. fyne
# package counts Build up in FyneApp.toml after each run: the file is put
# back as it was, also when a build fails.
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
WIN_PKGS := gcc-mingw-w64-x86-64 file
WIN_EXE := Ärendestöd.exe

package: deps
	$(call install_missing,$(WIN_PKGS))
	@tmp=$$(mktemp -d) && cp FyneApp.toml "$$tmp/" && \
	trap 'cp "$$tmp/FyneApp.toml" FyneApp.toml; rm -rf "$$tmp"' EXIT && \
	GOBIN="$$tmp" $(GO) install $(FYNE_TOOL) && \
	echo "Bygger Linux-paketet (Ärendestöd.tar.xz)." && \
	"$$tmp/fyne" package -os linux -release && \
	cp "$$tmp/FyneApp.toml" FyneApp.toml && \
	echo "Bygger Windows-programmet ($(WIN_EXE)) – första gången tar det flera minuter." && \
	CC=x86_64-w64-mingw32-gcc GOARCH=amd64 "$$tmp/fyne" package -os windows -release
	@t=$$(file "$(WIN_EXE)") && echo "$$t" && [[ "$$t" == *"PE32+ executable (GUI) x86-64"* ]] || \
	{ echo "$(WIN_EXE) är inget 64-bitars Windows-program med fönster"; exit 1; }
	@v=$$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml).$$(sed -n 's/^Build *= *//p' FyneApp.toml); \
	strings -el "$(WIN_EXE)" | grep -qx "$$v" && \
	x86_64-w64-mingw32-objdump -p "$(WIN_EXE)" | grep -Eq '^[0-9a-f]+   Entry: ID: 0x00000e,' || \
	{ echo "$(WIN_EXE) saknar versionen $$v eller ikonen (resurserna)"; exit 1; }
	@ls -l Ärendestöd.tar.xz "$(WIN_EXE)"

clean:
	rm -f $(BINARY) $(BINARY).exe *.tar.xz "$(WIN_EXE)"
